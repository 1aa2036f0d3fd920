import Foundation
import Subprocess
import Testing
@testable import Functions
import TestSupport

extension ExternalTools {
    /// A worker killed mid-download leaves its tools running (on macOS nothing
    /// else ends them); the next start ends them before doing anything else.
    @Suite struct LeftoverProcessTests {
        @Test func startingTheServicesEndsAKilledWorkersTools() async throws {
            let dir = try TemporaryDirectory()
            let earlier = ProcessGroupRecord(directory: dir.file("earlier"))
            let download = Task { try await ProcessCommandRunner(groupRecord: earlier).run(Command(["sleep", "60"], timeout: 120)) }
            defer { download.cancel() }
            let line = await firstValue { () -> String? in
                let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.file("earlier"))) ?? []
                let line = files.first.flatMap { try? String(contentsOfFile: dir.file("earlier/" + $0), encoding: .utf8) } ?? ""
                return line.isEmpty ? nil : line
            } ?? ""
            let pgid = try #require(line.split(separator: " ").first.flatMap { Int32($0) }, "the download was never recorded")

            _ = try FunctionsHarness { c, harnessDir in
                c.runDir = harnessDir.file("run")
                // As the killed worker (a pid that no longer exists) left it.
                try harnessDir.write("run/process-groups/4194303-1.groups", line)
            }
            // Without the kill this would wait for the 60 s sleep to finish.
            let result = try? await download.value
            #expect(result?.exitCode == 128 + SIGKILL, "the earlier worker's download was killed at start (pgid \(pgid))")
        }
    }
}
