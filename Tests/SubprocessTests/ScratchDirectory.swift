import Foundation

/// A fresh directory under the system temp dir, removed when the value is released.
final class ScratchDirectory: @unchecked Sendable {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "subprocess-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    /// Writes an executable `#!/bin/sh` script and returns its path.
    @discardableResult
    func script(_ name: String, _ body: String) throws -> String {
        try ("#!/bin/sh\n" + body + "\n").write(toFile: file(name), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file(name))
        return file(name)
    }
}
