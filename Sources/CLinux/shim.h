// Linux calls that Swift's Glibc module leaves out (epoll, accept4), for the
// HTTP module's event poller and listener. Header only, nothing is linked.
// Empty on Apple platforms, which use kqueue and accept from Darwin.
#ifdef __linux__
#include <sys/epoll.h>
#include <sys/socket.h>

static inline int clinux_accept_nonblocking(int fd) {
    extern int accept4(int, struct sockaddr *, socklen_t *, int);
    return accept4(fd, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
}
#endif
