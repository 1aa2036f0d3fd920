import Foundation
import Testing
@testable import Subprocess

/// Programs die with the process that started them, even when it is killed
/// with SIGKILL and has no chance to clean up.
@Suite struct ParentDeathTests {
    #if os(Linux)
    @Test func aKilledParentTakesItsProgramsWithIt() async throws {
        let binary = try #require(Self.harnessBinary(), "SpawnHarness not built (swift build --build-tests builds it)")
        let dir = try ScratchDirectory()
        let marker = dir.file("sleeper.pid")
        let parent = Process()
        parent.executableURL = URL(fileURLWithPath: binary)
        parent.arguments = ["sh", "-c", "echo $$ > \(marker).tmp && mv \(marker).tmp \(marker) && exec sleep 60"]
        try parent.run()

        var sleeper: Int32?
        let deadline = Date().addingTimeInterval(20)
        while sleeper == nil, Date() < deadline {
            sleeper = (try? String(contentsOfFile: marker, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if sleeper == nil { try await Task.sleep(nanoseconds: 20_000_000) }
        }
        let pid = try #require(sleeper, "the harness never started its program")
        #expect(isRunning(pid))

        kill(parent.processIdentifier, SIGKILL)
        parent.waitUntilExit()
        let killedAt = Date()
        while isRunning(pid), Date().timeIntervalSince(killedAt) < 1 {
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        #expect(!isRunning(pid), "the program outlived its killed parent")
        if isRunning(pid) { kill(pid, SIGKILL) }
    }
    #endif

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
