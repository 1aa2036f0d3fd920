import Foundation
import Hashing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on a file, held for the duration of `body`.
///
/// Used wherever two runs (or the worker and a person's editor script) may
/// update the same file: the system log and the daily logs. `flock` is
/// advisory, per open file description, and released by the kernel if the
/// worker dies mid-write, so a crash never leaves the file locked.
///
/// A file replaced by rename (a vault note) cannot be its own lock: the lock
/// is a separate file, kept in a lock folder outside the vault and named by a
/// hash of the note's path, so no `.lock` files appear beside notes.
enum FileLock {
    /// Locks `path` through `<lockDirectory>/<hash of path>.lock`.
    static func withExclusiveLock<R>(for path: String, in lockDirectory: String, _ body: () throws -> R) throws -> R {
        try withExclusiveLock(on: lockFile(for: path, in: lockDirectory)) { _ in try body() }
    }

    /// The lock file for `path`: the same for every spelling of it (`..`, links).
    static func lockFile(for path: String, in lockDirectory: String) -> String {
        let key = Digest.sha256Hex(PathContainment.resolved(path))
        return lockDirectory + "/" + key.prefix(32) + ".lock"
    }


    static func withExclusiveLock<R>(on path: String, _ body: (Int32) throws -> R) throws -> R {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileEffectError.io(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw FileEffectError.io(path: path, operation: "flock", errno: errno) }
        }
        defer { flock(fd, LOCK_UN) }
        return try body(fd)
    }

    /// Writes every byte (retrying short writes) and flushes to disk.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileEffectError.io(path: path, operation: "write", errno: errno)
            }
            written += n
        }
        _ = fsync(fd)
    }
}

public enum FileEffectError: Error, Sendable, Equatable, CustomStringConvertible {
    case io(path: String, operation: String, errno: Int32)
    case outsideRoot(path: String, root: String)

    public var description: String {
        switch self {
        case .io(let path, let op, let e): return "\(op) \(path): \(String(cString: strerror(e)))"
        case .outsideRoot(let path, let root): return "\(path) is outside \(root)"
        }
    }
}
