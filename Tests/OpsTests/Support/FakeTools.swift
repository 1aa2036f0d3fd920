import Foundation
import TestSupport

/// A directory of shell scripts standing in for OS tools (`launchctl`,
/// `docker`, `kubectl`, `ps`…). Each script appends its command line to a log
/// before doing its scripted part, so tests can assert exactly what ran.
final class FakeTools: @unchecked Sendable {
    let directory: TemporaryDirectory
    var bin: String { "\(directory.path)/bin" }
    var logPath: String { "\(directory.path)/calls.log" }

    init() throws {
        directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
    }

    /// Adds `name` running `body` (POSIX sh) after logging `name args…`.
    func add(_ name: String, _ body: String = "exit 0") throws {
        let script = """
        #!/bin/sh
        printf '%s\\n' "\(name) $*" >> '\(logPath)'
        \(body)
        """
        // Written through a close-on-exec descriptor and renamed into place,
        // so no child forked meanwhile keeps it open (exec would fail, ETXTBSY).
        let path = "\(bin)/\(name)", temp = "\(bin)/.\(name).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        let bytes = Array(script.utf8)
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count, rename(temp, path) == 0 else { throw POSIXError(.EIO) }
    }

    /// The command lines run so far, in order.
    var calls: [String] {
        (try? String(contentsOfFile: logPath, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
    }

    func clearCalls() { try? FileManager.default.removeItem(atPath: logPath) }

    /// An environment whose PATH has only the fakes plus the basic system
    /// directories (for `sh`, `sleep`, `cat`).
    var environment: [String: String] { ["PATH": "\(bin):/usr/bin:/bin", "HOME": directory.path] }
}
