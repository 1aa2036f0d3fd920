import Foundation

/// A fresh directory under the system temporary directory, removed when the
/// value is released: every test target's scratch space.
public final class TemporaryDirectory: @unchecked Sendable {
    public let path: String

    public init(_ label: String = "tests") throws {
        path = NSTemporaryDirectory() + "\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The full path of `relative` inside the directory.
    public func file(_ relative: String) -> String { path + "/" + relative }

    /// Writes `text` to `relative` (creating folders) and returns the full path.
    @discardableResult
    public func write(_ relative: String, _ text: String, executable: Bool = false) throws -> String {
        let full = file(relative)
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: true, encoding: .utf8)
        if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: full) }
        return full
    }

    /// Writes an executable `#!/bin/sh` script and returns its path.
    @discardableResult
    public func script(_ relative: String, _ body: String) throws -> String {
        try write(relative, "#!/bin/sh\n" + body + "\n", executable: true)
    }

    /// The text of `relative`; throws when it does not exist.
    public func read(_ relative: String) throws -> String {
        try String(contentsOfFile: file(relative), encoding: .utf8)
    }

    /// The text of `relative`, or nil while it does not exist (for polling).
    public func contents(_ relative: String) -> String? { try? read(relative) }
}
