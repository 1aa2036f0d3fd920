import Foundation
import JSON
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system log as a JSON-lines file: lines are appended (`O_APPEND`) under
/// an exclusive `flock`, never rewritten, and never duplicated (the id is
/// looked up under the same lock before writing). The ids already written are
/// kept in a `SystemLogIndex`, so an append reads only what other writers added
/// since, not the whole file. The file and its directory are created on first use.
public struct JSONLinesSystemLog: SystemLog {
    public let path: String
    let index = SystemLogIndex()

    public init(path: String) { self.path = path }

    @discardableResult
    public func append(_ entry: SystemLogEntry) throws -> Bool {
        index.lock.lock()
        defer { index.lock.unlock() }
        return try FileLock.withExclusiveLock(on: path) { fd in
            let torn = try index.catchUp(fd, path: path)
            if index.contains(entry.id) { return false }
            var line = [UInt8]()
            // A torn last line (power loss mid-write) must not swallow this entry.
            if torn { line.append(UInt8(ascii: "\n")) }
            line += Self.render(entry).serializedBytes()
            line.append(UInt8(ascii: "\n"))
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw FileEffectError.io(path: path, operation: "stat", errno: errno) }
            try FileLock.writeAll(fd, line, path: path)
            index.appended(entry.id, bytes: line.count, fileSizeBefore: Int(info.st_size))
            return true
        }
    }

    public func entries() throws -> [SystemLogEntry] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            guard let json = try? JSON(parsing: Array(line)),
                  let action = json["action"]?.stringValue, let tool = json["tool"]?.stringValue,
                  let detail = json["detail"]?.stringValue, let timestamp = json["timestamp"]?.stringValue
            else { return nil }
            return SystemLogEntry(id: json["id"]?.stringValue ?? "", timestamp: timestamp, action: action,
                                  tool: tool, detail: detail, reason: json["reason"]?.stringValue)
        }
    }

    /// Key order as in the existing log's lines (`timestamp, action, tool, detail, reason?`), then `id`.
    static func render(_ entry: SystemLogEntry) -> JSON {
        var object = JSONObject()
        object["timestamp"] = .string(entry.timestamp)
        object["action"] = .string(entry.action)
        object["tool"] = .string(entry.tool)
        object["detail"] = .string(entry.detail)
        if let reason = entry.reason { object["reason"] = .string(reason) }
        object["id"] = .string(entry.id)
        return .object(object)
    }
}
