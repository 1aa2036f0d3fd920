import Foundation
import Testing
import TestSupport
@testable import Subprocess

/// Programs die with the process that started them, even when it is killed
/// with SIGKILL and has no chance to clean up.
@Suite struct ParentDeathTests {
    #if os(Linux)
    @Test func aKilledParentTakesItsProgramsWithIt() async throws {
        let binary = try #require(Self.harnessBinary(), "SpawnHarness not built (swift build --build-tests builds it)")
        let dir = try TemporaryDirectory("subprocess-tests")
        let marker = dir.file("sleeper.pid")
        let parent = Process()
        parent.executableURL = URL(fileURLWithPath: binary)
        parent.arguments = ["sh", "-c", "echo $$ > \(marker).tmp && mv \(marker).tmp \(marker) && exec sleep 60"]
        try parent.run()

        let sleeper = await firstValue {
            (try? String(contentsOfFile: marker, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        let pid = try #require(sleeper, "the harness never started its program")
        #expect(isRunning(pid))

        kill(parent.processIdentifier, SIGKILL)
        parent.waitUntilExit()
        #expect(await hasEnded(pid), "the program outlived its killed parent")
        if isRunning(pid) { kill(pid, SIGKILL) }
    }
    #endif

    /// A program that exits leaving a background child holding its output: the
    /// child is killed with the group (while the leader is still unreaped, so
    /// the group id cannot have been reused) and the run ends at once: were
    /// the straggler left alone, its ten-minute sleep would hold the output
    /// open past the run's timeout and the run would fail as timed out.
    @Test func stragglersDieWhenTheProgramExits() async throws {
        let dir = try TemporaryDirectory("subprocess-tests")
        let marker = dir.file("straggler.pid")
        let result = try await ProcessCommandRunner().run(Command(["sh", "-c", "sleep 600 & echo $! > \(marker); echo done"], timeout: 60))
        #expect(result.stdoutText == "done\n" && result.exitCode == 0)
        let pid = try #require(Int32(String(contentsOfFile: marker, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(await hasEnded(pid))
        if isRunning(pid) { kill(pid, SIGKILL) }
    }

    /// Spawning from many tasks at once goes through the one spawn thread
    /// without mixing up results.
    @Test func concurrentSpawnsKeepTheirOwnResults() async throws {
        let runner = ProcessCommandRunner()
        try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for i in 0..<24 {
                group.addTask { (i, try await runner.runChecked(Command(["sh", "-c", "echo \(i)"])).stdoutText) }
            }
            for try await (i, out) in group { #expect(out == "\(i)\n") }
        }
    }

    static func harnessBinary() -> String? {
        var candidates: [URL] = []
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent("SpawnHarness"))
            dir = dir.deletingLastPathComponent()
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug/SpawnHarness"))
        return candidates.map(\.path).first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// The record that lets a restarted worker end the groups its killed
/// predecessor left running (macOS's substitute for the parent-death signal).
@Suite struct ProcessGroupRecordTests {
    @Test func leftoversOfAGoneWorkerAreKilledOnlyWhenTheStartTimeMatches() async throws {
        let dir = try TemporaryDirectory("subprocess-tests")
        let record = ProcessGroupRecord(directory: dir.file("groups"))
        let runner = ProcessCommandRunner(groupRecord: record)
        let victim = Task { try await runner.run(Command(["sleep", "60"], timeout: 120)) }
        let bystander = Task { try await runner.run(Command(["sleep", "60"], timeout: 120)) }
        defer { victim.cancel(); bystander.cancel() }

        // Both groups are written down under this process's own file.
        let lines = await firstValue { () -> [[UInt64]]? in
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.file("groups"))) ?? []
            let lines = files.filter { $0.hasSuffix(".groups") }.flatMap { name in
                ((try? String(contentsOfFile: dir.file("groups/" + name), encoding: .utf8)) ?? "")
                    .split(separator: "\n").map { $0.split(separator: " ").compactMap { UInt64($0) } }
            }
            return lines.count >= 2 ? lines : nil
        } ?? []
        try #require(lines.count == 2 && lines.allSatisfy { $0.count == 2 })
        #expect(ProcessGroupRecord(directory: dir.file("groups")).endLeftovers().isEmpty, "a live worker's groups are not touched")

        // Pretend a worker that is gone (no such pid) recorded them; the second
        // with another start time, as if its pgid had since been reused.
        let ghost = "\(lines[0][0]) \(lines[0][1])\n\(lines[1][0]) \(lines[1][1] + 1)\n"
        try ghost.write(toFile: dir.file("groups/4194303-1.groups"), atomically: true, encoding: .utf8)
        let killed = ProcessGroupRecord(directory: dir.file("groups")).endLeftovers()
        #expect(killed == [pid_t(lines[0][0])])
        #expect(!FileManager.default.fileExists(atPath: dir.file("groups/4194303-1.groups")))
        #expect(isRunning(pid_t(lines[1][0])), "a reused pgid is never signalled")
        #expect(await hasEnded(pid_t(lines[0][0])))

        victim.cancel(); bystander.cancel()
        _ = try? await victim.value
        _ = try? await bystander.value
        let remaining = try FileManager.default.contentsOfDirectory(atPath: dir.file("groups"))
        #expect(remaining.isEmpty, "finished runs are struck from the record: \(remaining)")
    }
}
