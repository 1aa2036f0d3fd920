// Linux calls that Swift's Glibc module leaves out (epoll, accept4), for the
// HTTP module's event poller and listener, and the fork/exec that Swift cannot
// express (fork is unavailable to Swift code), for Subprocess. Header only,
// nothing is linked. Empty on Apple platforms, which use kqueue, accept and
// posix_spawn from Darwin.
#ifdef __linux__
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

static inline int clinux_accept_nonblocking(int fd) {
    extern int accept4(int, struct sockaddr *, socklen_t *, int);
    return accept4(fd, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

static inline int clinux_pipe_cloexec(int fds[2]) {
    extern int pipe2(int[2], int);
    return pipe2(fds, O_CLOEXEC);
}

/// Where a child failed before its program started: 1 = working directory, 2 = anything else.
enum { CLINUX_SPAWN_CHDIR = 1, CLINUX_SPAWN_OTHER = 2 };

/// Starts `path` like posix_spawn would (own process group, empty signal mask,
/// SIGPIPE/SIGINT/SIGTERM at their defaults, standard streams from the given
/// descriptors, descriptors from 3 up closed), and additionally asks the
/// kernel to SIGKILL the child when the thread that forked it ends
/// (PR_SET_PDEATHSIG), so a killed worker leaves no tool running. That is
/// the one thing posix_spawn cannot do: it must happen between fork and exec.
/// Between the two only async-signal-safe calls are made.
///
/// Returns 0 and sets `*pid_out` once the program is running (exec
/// succeeded); otherwise returns the errno and sets `*stage_out`.
static inline int clinux_spawn_dying_with_parent(pid_t *pid_out, int *stage_out, const char *path,
                                                 char *const argv[], char *const envp[],
                                                 int in_fd, int out_fd, int err_fd, const char *cwd) {
    extern int pipe2(int[2], int);
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) { *stage_out = CLINUX_SPAWN_OTHER; return errno; }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(report[0]); close(report[1]);
        *stage_out = CLINUX_SPAWN_OTHER;
        return e;
    }
    if (pid == 0) {
        int failure[2] = { CLINUX_SPAWN_OTHER, 0 };
        struct sigaction dfl;
        sigset_t none;
        close(report[0]);
        if (setpgid(0, 0) != 0) goto fail;
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) goto fail;
        if (getppid() != parent) _exit(127);  // the worker died before the line above took effect
        sigemptyset(&dfl.sa_mask);
        dfl.sa_flags = 0;
        dfl.sa_handler = SIG_DFL;
        sigaction(SIGPIPE, &dfl, 0);
        sigaction(SIGINT, &dfl, 0);
        sigaction(SIGTERM, &dfl, 0);
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, 0);
        if (in_fd >= 0 && dup2(in_fd, 0) < 0) goto fail;
        if (dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) goto fail;
        if (cwd && chdir(cwd) != 0) { failure[0] = CLINUX_SPAWN_CHDIR; goto fail; }
        // Close 3.. except the report pipe (close-on-exec, it tells the parent exec worked).
        // Kernels before 5.9 lack close_range: then close-on-exec flags are relied on.
        if (report[1] > 3) syscall(SYS_close_range, 3U, (unsigned)report[1] - 1, 0U);
        syscall(SYS_close_range, (unsigned)report[1] + 1, ~0U, 0U);
        execve(path, argv, envp);
    fail:
        failure[1] = errno;
        while (write(report[1], failure, sizeof failure) < 0 && errno == EINTR) {}
        _exit(127);
    }
    close(report[1]);
    int failure[2] = { 0, 0 };
    ssize_t n;
    do { n = read(report[0], failure, sizeof failure); } while (n < 0 && errno == EINTR);
    close(report[0]);
    if (n == (ssize_t)sizeof failure) {
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        *stage_out = failure[0];
        return failure[1];
    }
    *pid_out = pid;
    return 0;
}
#endif
