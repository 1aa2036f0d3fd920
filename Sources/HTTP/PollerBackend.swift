#if canImport(Glibc)
import Glibc
import CLinux
#elseif canImport(Darwin)
import Darwin
#endif

/// The kernel half of `EventPoller`: epoll on Linux, kqueue on Apple.
/// Each `arm` is one-shot: a descriptor reports once, then waits to be re-armed.
/// `poll` is called from the poller thread only; `arm` and `wake` from any thread.
final class PollerBackend: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible { let description: String }

    private let queue: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    #if canImport(Glibc)
    private var events = [epoll_event](repeating: epoll_event(), count: 256)
    #else
    private var events = [kevent](repeating: kevent(), count: 256)
    #endif

    init() throws(Failure) {
        #if canImport(Glibc)
        queue = epoll_create1(Int32(EPOLL_CLOEXEC))
        #else
        queue = kqueue()
        #endif
        guard queue >= 0 else { throw Failure(description: "poller: \(Socket.errorText(errno))") }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw Failure(description: "poller pipe: \(Socket.errorText(errno))") }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        Socket.setNonBlocking(wakeRead)
        Socket.setNonBlocking(wakeWrite)
        #if canImport(Glibc)
        var event = epoll_event(events: EPOLLIN.rawValue, data: epoll_data_t(fd: wakeRead))
        _ = epoll_ctl(queue, EPOLL_CTL_ADD, wakeRead, &event)
        #else
        var event = kevent(ident: UInt(wakeRead), filter: Int16(EVFILT_READ), flags: UInt16(EV_ADD),
                           fflags: 0, data: 0, udata: nil)
        _ = Darwin.kevent(queue, &event, 1, nil, 0, nil)
        #endif
    }

    func close() {
        Socket.close(queue)
        Socket.close(wakeRead)
        Socket.close(wakeWrite)
    }

    /// Arms `fd` for one report of `interest`. False when the kernel refused.
    func arm(_ fd: Int32, _ interest: EventPoller.Interest) -> Bool {
        #if canImport(Glibc)
        // RDHUP only for reads: a peer that half-closed but still reads must
        // not keep waking a writer that waits for window space.
        let bits = (interest == .read ? EPOLLIN.rawValue | EPOLLRDHUP.rawValue : EPOLLOUT.rawValue)
            | EPOLLONESHOT.rawValue
        var event = epoll_event(events: bits, data: epoll_data_t(fd: fd))
        if epoll_ctl(queue, EPOLL_CTL_MOD, fd, &event) == 0 { return true }
        guard errno == ENOENT else { return false }
        return epoll_ctl(queue, EPOLL_CTL_ADD, fd, &event) == 0
        #else
        let filter = interest == .read ? EVFILT_READ : EVFILT_WRITE
        var event = kevent(ident: UInt(fd), filter: Int16(filter), flags: UInt16(EV_ADD | EV_ONESHOT),
                           fflags: 0, data: 0, udata: nil)
        return Darwin.kevent(queue, &event, 1, nil, 0, nil) == 0
        #endif
    }

    /// Interrupts a `poll` in progress.
    func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    /// Waits up to `timeoutMilliseconds` (-1: until something happens) and
    /// appends the ready descriptors.
    func poll(timeoutMilliseconds: Int32, into ready: inout [Int32]) {
        #if canImport(Glibc)
        let n = epoll_wait(queue, &events, Int32(events.count), timeoutMilliseconds)
        guard n > 0 else { return }
        for i in 0..<Int(n) {
            let fd = events[i].data.fd
            if fd == wakeRead { drainWake(); continue }
            ready.append(fd)
        }
        #else
        var timeout = timespec(tv_sec: Int(timeoutMilliseconds / 1000), tv_nsec: Int(timeoutMilliseconds % 1000) * 1_000_000)
        let n = timeoutMilliseconds < 0
            ? Darwin.kevent(queue, nil, 0, &events, Int32(events.count), nil)
            : Darwin.kevent(queue, nil, 0, &events, Int32(events.count), &timeout)
        guard n > 0 else { return }
        for i in 0..<Int(n) {
            let fd = Int32(events[i].ident)
            if fd == wakeRead { drainWake(); continue }
            ready.append(fd)
        }
        #endif
    }

    private func drainWake() {
        var scratch = [UInt8](repeating: 0, count: 64)
        while read(wakeRead, &scratch, scratch.count) > 0 {}
    }
}
