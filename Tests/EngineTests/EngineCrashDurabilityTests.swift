import Foundation
import HTTP
import JSON
import SQLite
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Kills a real worker+engine process with SIGKILL in the middle of runs and
/// restarts it on the same database.
@Suite("Engine crash durability", .serialized)
struct EngineCrashDurabilityTests {
    @Test func sigkillMidRunLosesNoAcknowledgedEventAndRepeatsNoMemoisedStep() async throws {
        let binary = try #require(Self.harnessBinary(), "EngineCrashHarness not built (swift build --build-tests builds it)")
        let scratch = try TemporaryDirectory("enginetests")
        let databasePath = scratch.file("crash.sqlite")
        let stepLog = (databasePath as NSString).deletingLastPathComponent + "/steps.log"
        let client = SocketHTTPClient()

        // First life (free ports picked by the harness): send a burst of events; kill mid-run.
        var (process, enginePort, workerPort) = try await Self.launch(binary, databasePath, stepLog, 0, 0)
        let base = "http://127.0.0.1:\(enginePort)"
        let acknowledged = AcknowledgedIDs()
        let sender = Task {
            for batch in 0..<6 {
                let keys = (0..<10).map { "e\(batch * 10 + $0)" }
                let body = Array(("[" + keys.map { #"{"name":"crash/go","data":{"k":"\#($0)"}}"# }.joined(separator: ",") + "]").utf8)
                guard let response = try? await client.send(HTTPClientRequest(method: "POST", url: base + "/e/key", body: body, timeout: 5)),
                      response.status == 200, let ids = (try? JSON(parsing: response.body))?["ids"]?.arrayValue,
                      ids.count == keys.count else { continue }
                for (id, key) in zip(ids, keys) { if let id = id.stringValue { acknowledged.add(id, key: key) } }
            }
        }
        // Kill once half the events are in and first steps are memoised, usually while events are
        // still arriving: the harness holds each run at s2 until the test opens the gate, so no
        // run can finish first, however slowly a loaded machine takes the events.
        _ = await eventually { try acknowledged.count >= 30 && Self.memoisedSteps(databasePath).count >= 20 }
        kill(process.processIdentifier, SIGKILL)
        await process.exited()
        _ = await sender.value
        #expect(process.terminationReason == .uncaughtSignal)

        // What the engine had memoised when it died: those steps must never run again.
        let memoised = try Self.memoisedSteps(databasePath)
        let linesAtKill = Self.lines(stepLog)
        #expect(!memoised.isEmpty)
        let completedAtKill = try Self.completedRuns(databasePath)
        #expect(completedAtKill < acknowledged.count, "the kill should land mid-run (\(completedAtKill) of \(acknowledged.count) done)")

        // Second life on the same database, the gate open: everything acknowledged completes.
        FileManager.default.createFile(atPath: stepLog + ".open", contents: nil)
        // Same ports: the functions registered in the database point at the worker's address.
        (process, enginePort, workerPort) = try await Self.launch(binary, databasePath, stepLog, enginePort, workerPort)
        defer { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        var pending = acknowledged.all
        _ = await eventually(timeout: 60, every: 0.02) {
            var still: [(String, String)] = []
            for (id, key) in pending {
                let response = try? await client.send(HTTPClientRequest(method: "GET", url: base + "/v1/events/\(id)/runs"))
                let runs = response.flatMap { try? JSON(parsing: $0.body) }?["data"]?.arrayValue ?? []
                if runs.count != 1 || runs[0]["status"] != "Completed" { still.append((id, key)) }
                else { #expect(runs[0]["output"] == .string("\(key):s3")) }
            }
            pending = still
            return pending.isEmpty
        }
        #expect(pending.isEmpty, "acknowledged events without a completed run: \(pending.map(\.1))")

        // Exactly once for every step memoised before the kill; at least once for all.
        let counts = Dictionary(Self.lines(stepLog).map { ($0, 1) }, uniquingKeysWith: +)
        for step in memoised { #expect(counts[step] == 1, "\(step) ran \(counts[step] ?? 0) times") }
        for (_, key) in acknowledged.all {
            for step in ["s1", "s2", "s3"] { #expect((counts["\(key):\(step)"] ?? 0) >= 1, "\(key):\(step) never ran") }
        }
        // Only a step caught between running and being recorded may repeat: at most one per run in flight.
        let repeated = counts.filter { $0.value > 1 }.map(\.key)
        #expect(repeated.allSatisfy { !memoised.contains($0) })
        #expect(linesAtKill.count >= 20)
        print("crash test: acknowledged \(acknowledged.count), completed at kill \(completedAtKill), memoised at kill \(memoised.count), step lines at kill \(linesAtKill.count), repeated after restart \(repeated.count)")
    }

    // MARK: Helpers

    static func harnessBinary() -> String? {
        var candidates: [URL] = []
        let argv0 = URL(fileURLWithPath: CommandLine.arguments[0])
        var dir = argv0.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent("EngineCrashHarness"))
            dir = dir.deletingLastPathComponent()
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug/EngineCrashHarness"))
        return candidates.map(\.path).first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts the harness; returns it with the ports it bound.
    static func launch(_ binary: String, _ db: String, _ log: String, _ enginePort: Int, _ workerPort: Int) async throws -> (Process, Int, Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [db, log, String(enginePort), String(workerPort)]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        // A watchdog kills a harness that never gets ready, which also ends the blocking read below.
        let pid = process.processIdentifier
        let watchdog = Task {
            try await Task.sleep(nanoseconds: 30_000_000_000)
            kill(pid, SIGKILL)
        }
        var seen = Data()
        var ports: [Int] = []
        while let chunk = try? output.fileHandleForReading.read(upToCount: 1), !chunk.isEmpty {
            seen.append(chunk)
            let text = String(decoding: seen, as: UTF8.self)
            if text.hasPrefix("READY"), text.hasSuffix("\n") {
                ports = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).dropFirst().compactMap { Int($0) }
                break
            }
        }
        watchdog.cancel()
        // Output ended without READY: make sure the harness is gone (it may
        // have closed stdout and lived on) before reporting.
        if ports.count != 2 { kill(pid, SIGKILL); await process.exited() }
        try #require(ports.count == 2, "harness did not become ready: \(String(decoding: seen, as: UTF8.self))")
        return (process, ports[0], ports[1])
    }

    static func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    static func memoisedSteps(_ path: String) throws -> Set<String> {
        let db = try SQLiteDatabase(path: path)
        return Set(try db.query("SELECT memo FROM steps").compactMap { row in
            row.string(0).flatMap { try? JSON(parsing: $0) }?["data"]?.stringValue
        })
    }

    static func completedRuns(_ path: String) throws -> Int {
        try SQLiteDatabase(path: path).queryOne("SELECT count(*) FROM runs WHERE status = 'Completed'")?.int(0) ?? 0
    }
}

final class AcknowledgedIDs: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [(String, String)] = []
    func add(_ id: String, key: String) { lock.lock(); items.append((id, key)); lock.unlock() }
    var all: [(String, String)] { lock.lock(); defer { lock.unlock() }; return items }
    var count: Int { all.count }
}
