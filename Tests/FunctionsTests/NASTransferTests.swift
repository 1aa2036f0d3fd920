import Foundation
import Subprocess
import Testing
@testable import Functions
import TestSupport

extension ExternalTools {
    @Suite struct NASTransferTests {
        /// The NAS path through a real sshd on loopback: `ssh mkdir -p`, then
        /// `scp`; a second copy overwrites in place (no duplicates).
        @Test func copiesOverSSHIdempotently() async throws {
            let sshd = try await LoopbackSSHD()
            let dir = try TemporaryDirectory()
            try dir.write("run/Launch Talk.mp4", "video bytes")
            try dir.write("run/Launch Talk.info.json", "{}")
            let destination = dir.file("nas/2026/launch-talk")
            let transfer = NASFileTransfer(destination: .ssh(host: "\(sshd.user)@127.0.0.1", root: dir.file("nas")),
                                           ssh: sshd.sshCommand, scp: sshd.scpCommand, runner: ProcessCommandRunner(), timeout: 30)
            #expect(try await transfer.copyContents(of: dir.file("run"), to: destination) == "\(sshd.user)@127.0.0.1:\(destination)")
            try dir.write("run/Launch Talk.mp4", "video bytes v2")
            try await transfer.copyContents(of: dir.file("run"), to: destination)
            #expect(try FileManager.default.contentsOfDirectory(atPath: destination).sorted() == ["Launch Talk.info.json", "Launch Talk.mp4"])
            #expect(try dir.read("nas/2026/launch-talk/Launch Talk.mp4") == "video bytes v2")
        }

        @Test func refusedLoginFailsWithSSHsMessage() async throws {
            let sshd = try await LoopbackSSHD()
            let dir = try TemporaryDirectory()
            try dir.write("run/a.mp4", "x")
            let transfer = NASFileTransfer(destination: .ssh(host: "nobody-here@127.0.0.1", root: dir.file("nas")),
                                           ssh: ["ssh", "-p", "\(sshd.port)", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"],
                                           scp: sshd.scpCommand, runner: ProcessCommandRunner(), timeout: 30)
            await #expect {
                try await transfer.copyContents(of: dir.file("run"), to: dir.file("nas/x"))
            } throws: { error in
                guard case CommandError.failed(_, let code, let stderr) = error else { return false }
                return code == 255 && stderr.contains("Permission denied")
            }
        }
    }
}
