/// Non-blocking reads and writes on one socket that suspend the calling task
/// (never a thread) while the kernel has nothing for it.
struct SocketChannel {
    enum ReadResult: Equatable { case data(Int), closed, timedOut, cancelled }
    enum WriteResult: Equatable { case written, closed, timedOut, cancelled }

    let fd: Int32
    let poller: EventPoller

    /// Reads what is available into `buffer`, waiting until `deadline`
    /// (monotonic ns, 0 for none) if nothing is.
    func read(into buffer: UnsafeMutableRawBufferPointer, deadline: UInt64, kind: EventPoller.WaitKind) async -> ReadResult {
        while true {
            switch Socket.read(fd, into: buffer) {
            case .done(let n): return .data(n)
            case .closed, .failed: return .closed
            case .wouldBlock:
                switch await poller.wait(fd, for: .read, deadline: deadline, kind: kind) {
                case .ready: continue
                case .timedOut: return .timedOut
                case .cancelled: return .cancelled
                }
            }
        }
    }

    /// Writes all of `bytes`, waiting for the peer to read when its window is full.
    func write(_ bytes: [UInt8], deadline: UInt64) async -> WriteResult {
        var offset = 0
        while offset < bytes.count {
            let result = bytes.withUnsafeBytes { Socket.write(fd, UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            switch result {
            case .done(let n): offset += n
            case .closed, .failed: return .closed
            case .wouldBlock:
                switch await poller.wait(fd, for: .write, deadline: deadline, kind: .active) {
                case .ready: continue
                case .timedOut: return .timedOut
                case .cancelled: return .cancelled
                }
            }
        }
        return .written
    }

    /// Closes gracefully after an error response: stop sending, then read and
    /// discard what the client still sends for a moment, so the kernel does
    /// not answer its unread bytes with a reset that would destroy the
    /// response before the client reads it (RFC 9112 §9.6).
    func lingeringClose(scratch: UnsafeMutableRawBufferPointer, seconds: Double = 1, maxBytes: Int = 1 << 20) async {
        Socket.shutdownWrite(fd)
        let deadline = MonotonicClock.deadline(after: seconds)
        var discarded = 0
        while discarded < maxBytes {
            guard case .data(let n) = await read(into: scratch, deadline: deadline, kind: .active) else { break }
            discarded += n
        }
    }
}
