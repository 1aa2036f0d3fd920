import Foundation

/// Reads and installs files. `infra apply` writes only through this, and
/// always atomically, so a crash mid-apply leaves each file old or new, never torn.
public protocol FileStore: Sendable {
    func read(_ path: String) -> [UInt8]?
    /// Replaces `path` atomically (temp file in the same folder, then rename),
    /// creating parent folders as needed.
    func write(_ bytes: [UInt8], to path: String) throws
    func remove(_ path: String) throws
}

public struct LocalFileStore: FileStore {
    public init() {}

    public func read(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { Array($0) }
    }

    public func write(_ bytes: [UInt8], to path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let temp = "\(dir)/.\((path as NSString).lastPathComponent).joelclaw-\(getpid())"
        guard FileManager.default.createFile(atPath: temp, contents: Data(bytes)) else {
            throw InfraError("cannot write \(temp)")
        }
        guard rename(temp, path) == 0 else {
            let why = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temp)
            throw InfraError("cannot install \(path): \(why)")
        }
    }

    public func remove(_ path: String) throws {
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
    }
}
