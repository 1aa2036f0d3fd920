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
#include <pthread.h>

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

/// The child's half of `clinux_spawn_dying_with_parent`, on the parent's memory
/// (vfork) until exec: only system calls, no return, and signal handlers reset
/// to their defaults before signals are unblocked, so no handler of the parent
/// can run here.
__attribute__((noinline, noreturn))
static void clinux_spawn_child(pid_t parent, int report, const char *path, char *const argv[], char *const envp[],
                               int in_fd, int out_fd, int err_fd, const char *cwd) {
    int failure[2] = { CLINUX_SPAWN_OTHER, 0 };
    struct sigaction dfl, old;
    sigset_t none;
    int s;
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    dfl.sa_flags = 0;
    for (s = 1; s < NSIG; s++) {
        if (s == SIGKILL || s == SIGSTOP) continue;
        if (sigaction(s, 0, &old) == 0 && old.sa_handler != SIG_IGN && old.sa_handler != SIG_DFL) sigaction(s, &dfl, 0);
    }
    sigaction(SIGPIPE, &dfl, 0);
    sigaction(SIGINT, &dfl, 0);
    sigaction(SIGTERM, &dfl, 0);
    if (setpgid(0, 0) != 0) goto fail;
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) goto fail;
    if (getppid() != parent) _exit(127);  // the worker died before the line above took effect
    if (in_fd >= 0 && dup2(in_fd, 0) < 0) goto fail;
    if (dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) goto fail;
    if (cwd && chdir(cwd) != 0) { failure[0] = CLINUX_SPAWN_CHDIR; goto fail; }
    // Close 3.. except the report pipe (close-on-exec, it tells the parent exec worked).
    // Kernels before 5.9 lack close_range: then close-on-exec flags are relied on.
    if (report > 3) syscall(SYS_close_range, 3U, (unsigned)report - 1, 0U);
    syscall(SYS_close_range, (unsigned)report + 1, ~0U, 0U);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, 0);
    execve(path, argv, envp);
fail:
    failure[1] = errno;
    while (write(report, failure, sizeof failure) < 0 && errno == EINTR) {}
    _exit(127);
}

/// Starts `path` like posix_spawn would (own process group, empty signal mask,
/// SIGPIPE/SIGINT/SIGTERM and every caught signal at their defaults, standard
/// streams from the given descriptors, descriptors from 3 up closed), and
/// additionally asks the kernel to SIGKILL the child when the thread that
/// started it ends (PR_SET_PDEATHSIG), so a killed worker leaves no tool
/// running. That is the one thing posix_spawn cannot do: it must happen
/// between fork and exec. Like posix_spawn it uses vfork, so the worker's
/// memory is not copied (a fork of a large process stalls all its threads).
///
/// Returns 0 and sets `*pid_out` once the program is running (exec
/// succeeded); otherwise returns the errno and sets `*stage_out`.
static inline int clinux_spawn_dying_with_parent(pid_t *pid_out, int *stage_out, const char *path,
                                                 char *const argv[], char *const envp[],
                                                 int in_fd, int out_fd, int err_fd, const char *cwd) {
    int report[2];
    sigset_t all, saved;
    pid_t parent, pid;
    int failure[2] = { 0, 0 };
    ssize_t n;
    if (clinux_pipe_cloexec(report) != 0) { *stage_out = CLINUX_SPAWN_OTHER; return errno; }
    parent = getpid();
    // No signal may reach the child while it runs on this thread's memory.
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &saved);
    pid = vfork();
    if (pid == 0) clinux_spawn_child(parent, report[1], path, argv, envp, in_fd, out_fd, err_fd, cwd);
    int forkErrno = errno;
    pthread_sigmask(SIG_SETMASK, &saved, 0);
    close(report[1]);
    if (pid < 0) {
        close(report[0]);
        *stage_out = CLINUX_SPAWN_OTHER;
        return forkErrno;
    }
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
