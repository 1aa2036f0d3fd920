import Engine
import Foundation
import HTTP
import InngestProtocol
import JSON
import SQLite

/// `--scenario soak`: the engine and a worker in one process, as the worker
/// binary runs them, under a steady mix for `--soak-runs` runs (default
/// 100,000) with `--in-flight` events outstanding: 3-step runs, sleeps (1 s),
/// waits (half answered, half timing out after 2 s), a step that fails once
/// and succeeds on its retry, a function that fails for good, and a cron
/// every minute. Every 10,000 runs it prints resident memory, open
/// descriptors, threads and database size; at the end, runs lost or stuck
/// (not finished with the expected status within 60 s) and the growth of each
/// figure from run 20,000 to the end (goal: within 10 %; the database grows
/// with the runs it keeps, by design, until retention prunes them).
struct SoakScenario {
    let total: Int
    let inFlight: Int
    let directory: String
    var databasePath: String { directory + "/soak.sqlite" }
    let synchronous: SQLiteDatabase.Synchronous

    enum Kind: Int, CaseIterable { case three, sleeper, answeredWait, timedOutWait, flaky, doomed }
    struct Sample: Sendable { var runs: Int; var rss: Double; var fds: Int; var threads: Int; var db: Double }

    func run() async throws {
        let client = SocketHTTPClient(configuration: .init(maxIdlePerHost: 256))
        let flaky = FirstAttempts()
        let functions = [
            InngestFunction(id: "three", triggers: [.event("soak/three")]) { ctx -> String in
                let a: String = try await ctx.step.run("one") { "1" }
                let b: String = try await ctx.step.run("two") { a + "2" }
                return try await ctx.step.run("three") { b + "3" }
            },
            InngestFunction(id: "sleeper", triggers: [.event("soak/sleep")]) { ctx -> String in
                try await ctx.step.sleep("nap", for: .seconds(1))
                return try await ctx.step.run("after") { "awake" }
            },
            InngestFunction(id: "waiter", triggers: [.event("soak/wait")]) { ctx -> String in
                let reply = try await ctx.step.waitForEvent("reply", event: "soak/reply", timeout: "2s", match: "data.k")
                return reply == nil ? "timed out" : "answered"
            },
            InngestFunction(id: "flaky", triggers: [.event("soak/flaky")], config: .init(retries: 2)) { ctx -> String in
                let runID = ctx.runId
                return try await ctx.step.run("once-fails") { () -> String in
                    if flaky.isFirst(runID) { throw NSError(domain: "soak: first attempt fails", code: 1) }
                    return "recovered"
                }
            },
            InngestFunction(id: "doomed", triggers: [.event("soak/doomed")]) { ctx -> String in
                try await ctx.step.run("always") { () -> String in throw NonRetriableError("doomed by design") }
            },
            InngestFunction(id: "minutely", triggers: [.cron("* * * * *")]) { ctx -> String in
                try await ctx.step.run("tick") { "tick" }
            },
        ]
        var configuration = EmbeddedEngineConfiguration(databasePath: databasePath)
        configuration.port = 0
        configuration.synchronous = synchronous
        configuration.settings.retryBaseMilliseconds = 50     // the retry schedule is not what is soaked
        configuration.settings.retryMaxMilliseconds = 200
        let engine = EmbeddedEngine(configuration: configuration, client: client)
        try engine.start()
        let inngest = Inngest(appId: "soak", functions: functions,
                              configuration: InngestConfiguration(mode: .dev, apiBaseURL: engine.baseURL, eventAPIBaseURL: engine.baseURL),
                              httpClient: client, logSink: NoLog())
        let worker = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), handler: inngest.handler)
        try worker.start()
        _ = try await inngest.register(serveURL: "http://127.0.0.1:\(worker.port)/api/inngest")

        print("soak: \(total) runs, \(inFlight) in flight, mix of 3-step, sleep 1 s, waits (answered / timed out), retried, failed; cron every minute")
        print(["runs", "RSS MiB", "fds", "threads", "db MiB", "runs/s"].enumerated()
            .map { i, h in String(repeating: " ", count: max(0, [8, 10, 6, 8, 12, 9][i] - h.count)) + h }.joined(separator: " "))
        let tally = Tally()
        let started = ContinuousClock.now
        let databasePath = configuration.databasePath
        let total = self.total
        let sampler = Task { () -> [Sample] in
            var samples: [Sample] = []
            var next = 10_000
            while next <= total {
                while tally.finished < next { try? await Task.sleep(nanoseconds: 50_000_000) }
                let s = Sample(runs: next, rss: ProcessFigures.residentMiB(), fds: ProcessFigures.openDescriptors(),
                               threads: ProcessFigures.threads(), db: ProcessFigures.databaseMiB(databasePath))
                let elapsed = ContinuousClock.now - started
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                print(String(format: "%8d %10.1f %6d %8d %12.1f %9.0f", s.runs, s.rss, s.fds, s.threads, s.db, Double(next) / seconds))
                samples.append(s)
                next += 10_000
            }
            return samples
        }
        let counter = Counter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<inFlight {
                group.addTask {
                    while true {
                        let n = counter.next()
                        guard n <= total else { return }
                        let kind = Self.kind(of: n)
                        tally.record(kind, try await one(kind, n: n, engine: engine, inngest: inngest))
                    }
                }
            }
            try await group.waitForAll()
        }
        let series = await sampler.value
        let probe = try SQLiteDatabase(path: configuration.databasePath)
        let crons = try probe.queryOne("SELECT count(*), sum(status = 'Completed') FROM runs WHERE function_id LIKE '%minutely'")
        await engine.stop()
        await worker.shutdown(drain: 1)

        print(tally.summary)
        print("cron runs: \(crons?.int(0) ?? 0), completed \(crons?.int(1) ?? 0)")
        if let warm = series.first(where: { $0.runs == 20_000 }), let last = series.last, last.runs > warm.runs {
            func growth(_ a: Double, _ b: Double) -> String { String(format: "%+.1f%%", (b - a) / max(a, 0.001) * 100) }
            print("growth from run 20,000 to \(last.runs): RSS \(growth(warm.rss, last.rss)), descriptors \(growth(Double(warm.fds), Double(last.fds))), "
                  + "threads \(growth(Double(warm.threads), Double(last.threads))), database \(growth(warm.db, last.db)) "
                  + String(format: "(%.0f bytes per run kept)", (last.db - warm.db) * 1_048_576 / Double(last.runs - warm.runs)))
        }
    }

    /// Half 3-step runs; a tenth each of the other kinds.
    static func kind(of n: Int) -> Kind {
        switch n % 10 {
        case 0..<5: .three
        case 5: .sleeper
        case 6: .answeredWait
        case 7: .timedOutWait
        case 8: .flaky
        default: .doomed
        }
    }

    /// Sends one event of `kind` and waits for its run; returns whether it ended as expected.
    private func one(_ kind: Kind, n: Int, engine: EmbeddedEngine, inngest: Inngest) async throws -> Bool {
        let name = ["soak/three", "soak/sleep", "soak/wait", "soak/wait", "soak/flaky", "soak/doomed"][kind.rawValue]
        let ids = try await inngest.send(InngestEvent(name: name, data: ["k": .string("k\(n)")]))
        var runID: String?
        for _ in 0..<2_000 where runID == nil {
            runID = engine.runs(forEvent: ids[0]).first?["run_id"]?.stringValue
            if runID == nil { try await Task.sleep(nanoseconds: 5_000_000) }
        }
        guard let runID else { return false }
        if kind == .answeredWait {
            // Reply once the run waits (its pause is stored): a reply sent
            // earlier is, as on the Inngest server, not one it waits for.
            let probe = try SQLiteDatabase(path: databasePath)
            for _ in 0..<3_000 {
                if (try probe.queryOne("SELECT count(*) FROM pauses WHERE run_id = ? AND kind = 'wait'", [.text(runID)])?.int(0) ?? 0) > 0 { break }
                try await Task.sleep(nanoseconds: 10_000_000)
            }
            _ = try await inngest.send(InngestEvent(name: "soak/reply", data: ["k": .string("k\(n)")]))
        }
        guard await engine.waitForRun(runID, timeout: 60), let run = engine.run(runID) else { return false }
        let expected = kind == .doomed ? "Failed" : "Completed"
        let output = run["output"]?.stringValue
        switch kind {
        case .answeredWait: return run["status"]?.stringValue == expected && output == "answered"
        case .timedOutWait: return run["status"]?.stringValue == expected && output == "timed out"
        default: return run["status"]?.stringValue == expected
        }
    }
}

/// Which runs have had their first attempt (the flaky function fails it).
final class FirstAttempts: @unchecked Sendable {
    private let lock = NSLock()
    private var seen = Set<String>()
    func isFirst(_ runID: String) -> Bool { lock.lock(); defer { lock.unlock() }; return seen.insert(runID).inserted }
}

final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var good: [SoakScenario.Kind: Int] = [:]
    private var bad: [SoakScenario.Kind: Int] = [:]
    private var count = 0

    var finished: Int { lock.lock(); defer { lock.unlock() }; return count }

    func record(_ kind: SoakScenario.Kind, _ ok: Bool) {
        lock.lock(); defer { lock.unlock() }
        if ok { good[kind, default: 0] += 1 } else { bad[kind, default: 0] += 1 }
        count += 1
    }

    var summary: String {
        lock.lock(); defer { lock.unlock() }
        let lost = bad.values.reduce(0, +)
        let rows = SoakScenario.Kind.allCases.map { "\($0): \(good[$0, default: 0]) ok, \(bad[$0, default: 0]) lost or stuck" }
        return "runs lost or stuck: \(lost) (\(rows.joined(separator: "; ")))"
    }
}

/// The process's own resident memory, descriptors and threads (Linux /proc;
/// elsewhere what getrusage and /dev/fd tell).
enum ProcessFigures {
    static func residentMiB() -> Double {
        if let kb = status("VmRSS") { return kb / 1024 }
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        return Double(usage.ru_maxrss) / 1_048_576
    }

    static func threads() -> Int { Int(status("Threads") ?? 0) }

    static func openDescriptors() -> Int {
        let dir = FileManager.default.fileExists(atPath: "/proc/self/fd") ? "/proc/self/fd" : "/dev/fd"
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir))?.count ?? 1) - 1
    }

    static func databaseMiB(_ path: String) -> Double {
        Double(fileBytes(path) + fileBytes(path + "-wal")) / 1_048_576
    }

    private static func status(_ field: String) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Double(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "")
        }
        return nil
    }
}
