import Foundation
import JSON

/// The system log as a JSON-lines file: lines are appended under an exclusive
/// `flock`, never rewritten, and never duplicated (the id is looked up under
/// the same lock before writing). The file and its directory are created on
/// first use; the original failed when the file did not exist, and rewrote the
/// whole file on every entry, losing lines to concurrent runs.
public struct JSONLinesSystemLog: SystemLog {
    public let path: String

    public init(path: String) { self.path = path }

    @discardableResult
    public func append(_ entry: SystemLogEntry) throws -> Bool {
        try FileLock.withExclusiveLock(on: path) { fd in
            let existing = try FileLock.readAll(fd, path: path)
            let marker = Array("\"id\":\(JSON.string(entry.id).serialized())".utf8)
            if existing.firstRange(of: marker) != nil { return false }
            var line = [UInt8]()
            // A torn last line (power loss mid-write) must not swallow this entry.
            if let last = existing.last, last != UInt8(ascii: "\n") { line.append(UInt8(ascii: "\n")) }
            line += Self.render(entry).serializedBytes()
            line.append(UInt8(ascii: "\n"))
            try FileLock.writeAll(fd, line, path: path)
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

    /// Key order as in the original (`timestamp, action, tool, detail, reason?`), then `id`.
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
