import Foundation
import JSON
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one process knows of a system log file: the ids of its entries and
/// how far it has read them. An append reads only what other writers added
/// since this process last looked (nothing, usually), not the whole file; a
/// file replaced or truncated (rotation) is read again from the start.
///
/// Memory grows with the number of entries (their ids only). Callers hold
/// the file's `flock` while calling, and this object's lock around that.
final class SystemLogIndex: @unchecked Sendable {
    let lock = NSLock()
    private var ids = Set<String>()
    private var identity: (device: UInt64, inode: UInt64)?
    /// Bytes indexed: always just past a newline (or 0).
    private var indexed: Int = 0
    /// Total bytes read from the file by this process, so tests can see that
    /// an append does not read the whole log.
    private(set) var bytesRead = 0

    /// Indexes what was added since the last call. Returns whether the file
    /// ends mid-line (a torn write), which the next line must not join.
    func catchUp(_ fd: Int32, path: String) throws -> Bool {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileEffectError.io(path: path, operation: "stat", errno: errno) }
        let id = (UInt64(truncatingIfNeeded: info.st_dev), UInt64(truncatingIfNeeded: info.st_ino))
        let size = Int(info.st_size)
        if identity.map({ $0 != id }) ?? true || size < indexed {
            ids.removeAll()
            indexed = 0
            identity = id
        }
        guard size > indexed else { return false }
        let added = try read(fd, from: indexed, count: size - indexed, path: path)
        bytesRead += added.count
        let lastNewline = added.lastIndex(of: UInt8(ascii: "\n"))
        let complete = lastNewline.map { added[...$0] } ?? []
        for line in complete.split(separator: UInt8(ascii: "\n")) { index(line) }
        let tail = lastNewline.map { added[($0 + 1)...] } ?? added[...]
        // A line without its newline is indexed but re-read next time (it may grow no further: it is torn).
        if !tail.isEmpty { index(tail) }
        indexed += complete.count
        return !tail.isEmpty
    }

    func contains(_ id: String) -> Bool { ids.contains(id) }

    /// Records a line this process appended (`bytes` long, newline included).
    func appended(_ id: String, bytes: Int, fileSizeBefore: Int) {
        ids.insert(id)
        indexed = fileSizeBefore + bytes
    }

    private func index(_ line: ArraySlice<UInt8>) {
        if let id = (try? JSON(parsing: Array(line)))?["id"]?.stringValue { ids.insert(id) }
    }

    private func read(_ fd: Int32, from offset: Int, count: Int, path: String) throws -> [UInt8] {
        var result = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = result[done...].withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset + done)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileEffectError.io(path: path, operation: "read", errno: errno)
            }
            if n == 0 { break }
            done += n
        }
        return Array(result[..<done])
    }
}
