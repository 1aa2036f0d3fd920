import Foundation
import Subprocess
import Testing
@testable import Functions
import Support
import TestSupport
#if canImport(Glibc)
import Glibc
private let streamSocketType = Int32(SOCK_STREAM.rawValue)
#elseif canImport(Darwin)
import Darwin
private let streamSocketType = SOCK_STREAM
#endif

/// A real OpenSSH server on 127.0.0.1 with throwaway host and user keys,
/// accepting only that user key. Stands in for the NAS.
///
/// sshd runs under `ProcessCommandRunner` (cancelled, and so killed with its
/// process group, when this value goes away), not Foundation's `Process`:
/// sshd closes the descriptor Foundation watches for a child's exit, and
/// Foundation then blocks its process-manager thread in `waitpid` on the
/// live daemon, which stalls every other `Process` in the test run.
final class LoopbackSSHD: @unchecked Sendable {
    let dir: TemporaryDirectory
    let port: Int
    let daemon: Task<CommandResult, Error>
    let userKey: String

    init() async throws {
        let sshd = "/usr/sbin/sshd"
        try #require(FileManager.default.isExecutableFile(atPath: sshd), "sshd is not installed (apt-get install openssh-server); ./test.sh installs it")
        try Tools.require("ssh-keygen", install: "apt-get install openssh-client")
        // sshd refuses to start without its privilege-separation directory.
        if !FileManager.default.fileExists(atPath: "/run/sshd") {
            try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        }
        dir = try TemporaryDirectory("sshd")
        let runner = ProcessCommandRunner()
        for key in ["host", "user"] {
            try await runner.runChecked(Command(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.file(key)], timeout: 30))
        }
        try FileManager.default.copyItem(atPath: dir.file("user.pub"), toPath: dir.file("authorized_keys"))
        userKey = dir.file("user")
        port = try Self.freePort()
        let command = Command([sshd, "-D", "-e", "-f", "/dev/null", "-h", dir.file("host"), "-p", "\(port)",
                               "-o", "ListenAddress=127.0.0.1", "-o", "PidFile=none", "-o", "AuthorizedKeysFile=\(dir.file("authorized_keys"))",
                               "-o", "StrictModes=no", "-o", "UsePAM=no", "-o", "PermitRootLogin=prohibit-password",
                               "-o", "Subsystem=sftp internal-sftp", "-o", "LogLevel=ERROR"], timeout: 600)
        daemon = Task { try await runner.run(command) }
        if await eventually(every: 0.02, { Self.accepts(port) }) { return }
        daemon.cancel()
        throw TestFailure("sshd did not start listening on 127.0.0.1:\(port)")
    }

    deinit { daemon.cancel() }

    var user: String { NSUserName() }
    var options: [String] {
        ["-i", userKey, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"]
    }
    var sshCommand: [String] { ["ssh", "-p", "\(port)"] + options }
    var scpCommand: [String] { ["scp", "-P", "\(port)"] + options }

    /// A port nothing listens on, for a daemon that must be told its port
    /// (or for a connection that must be refused). Picked below the kernel's
    /// ephemeral range: a port-0 bind elsewhere in the test run can then never
    /// be handed the same number between this check and its use.
    static func freePort() throws -> Int {
        for _ in 0..<200 {
            let port = Int.random(in: 20_000..<30_000)
            let fd = socket(AF_INET, streamSocketType, 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            addr.sin_port = UInt16(port).bigEndian
            let bound = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            close(fd)
            if bound == 0 { return port }
        }
        throw TestFailure("no free port found in 20000-29999")
    }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, streamSocketType, 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
