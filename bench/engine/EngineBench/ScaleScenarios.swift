import Engine
import Foundation
import HTTP
import InngestProtocol
import JSON
import SQLite

/// The engine at scale, each measurement printed next to a baseline taken in
/// the same run:
///
///   retained  event-to-completion p50 of the 3-step function with `--retained`
///             finished runs in the file vs. an empty file; file bytes per
///             1,000,000 runs; how long pruning them takes and that the space is reused
///   waiting   with `--waiting` runs in `waitForEvent` (each `if` on its own key):
///             ingest p50 of a non-matching event and resume p50 of a matching
///             one, vs. the same with (almost) nobody waiting
///   sleeping  `--sleeping` runs whose sleeps end at the same instant: the time to
///             drain them all, vs. 100 runs
///
/// Retained runs are copies of a real finished run (its event, run, steps and
/// finish event rows) written straight into the file while the engine is
/// stopped: a million runs through the engine would take an hour, and the rows
/// are the same either way.
struct ScaleScenarios {
    let options: Options
    let directory: String
    let client: any HTTPClient

    static let three = InngestFunction(id: "three", triggers: [.event("bench/three")]) { ctx -> String in
        let a: String = try await ctx.step.run("one") { "1" }
        let b: String = try await ctx.step.run("two") { a + "2" }
        return try await ctx.step.run("three") { b + "3" }
    }

    static let waiter = InngestFunction(id: "waiter", triggers: [.event("bench/wait")]) { ctx -> String in
        let answer = try await ctx.step.waitForEvent("answer", event: "bench/answer", timeout: .hours(1),
                                                     if: "async.data.key == event.data.key")
        return answer == nil ? "timed out" : "answered"
    }

    static let sleeper = InngestFunction(id: "sleeper", triggers: [.event("bench/sleep")]) { ctx -> String in
        try await ctx.step.sleep("nap", for: .hours(1))
        return "woke"
    }

    // MARK: Retained runs

    func retained() async throws {
        let path = directory + "/retained.sqlite"
        var rig = try await BenchRig.start(functions: [Self.three], databasePath: path, synchronous: options.synchronous, client: client)
        for _ in 0..<20 { try await threeStep(rig) }
        let empty = try await latencies(rig, runs: options.latencyRuns)
        let before = try rig.checkpointedBytes()
        var cloneSeconds = 0.0
        rig = try await rig.restartEngine(synchronous: options.synchronous) {
            cloneSeconds = try RunCloner(path: path).clone(count: options.retained, tag: "a")
        }
        let after = try rig.checkpointedBytes()
        for _ in 0..<20 { try await threeStep(rig) }
        let full = try await latencies(rig, runs: options.latencyRuns)
        print(String(format: "retained: %d finished runs written in %.1f s", options.retained, cloneSeconds))
        print(String(format: "retained: event→completion p50 %.2f ms (p90 %.2f) with them vs %.2f ms (p90 %.2f) with an empty file: ratio %.2f×",
                     full.p50, full.p90, empty.p50, empty.p90, full.p50 / empty.p50))
        let perMillion = Double(after - before) / Double(options.retained) * 1_000_000
        print(String(format: "retained: file %.1f MiB → %.1f MiB: %.0f MiB per 1,000,000 runs (%.0f bytes per run)",
                     Double(before) / 1_048_576, Double(after) / 1_048_576, perMillion / 1_048_576, perMillion / 1_000_000))

        // Pruning: an hourly pass with nothing expired, then one that finds them all expired.
        let idle = try await timed { try await rig.engine.prune() }
        let probe = try rig.probe()
        let month: Int64 = 31 * 86_400_000
        _ = try probe.run("UPDATE runs SET ended_at = ended_at - ?, started_at = started_at - ? WHERE id LIKE 'Ra%'", [.integer(month), .integer(month)])
        _ = try probe.run("UPDATE events SET received_at = received_at - ? WHERE id LIKE 'Ea%' OR id LIKE 'Fa%'", [.integer(month)])
        // The pass runs while runs keep arriving: their latency shows whether pruning stalls the engine.
        var counts = (runs: 0, events: 0)
        var during: [Double] = []
        let engine = rig.engine
        let pass = try await timed {
            let done = Flag()
            let pruning = Task { defer { done.set() }; return try await engine.prune() }
            while !done.isSet { during.append(try await timed { try await threeStep(rig) }) }
            counts = try await pruning.value
        }
        during.sort()
        let pruned = try rig.checkpointedBytes()
        let freePages = try probe.queryOne("PRAGMA freelist_count")?.int(0) ?? 0
        let pageSize = try probe.queryOne("PRAGMA page_size")?.int(0) ?? 4096
        print(String(format: "prune: hourly pass with nothing expired %.0f ms; with all of them 31 days old %.1f s (%d runs, %d events deleted)",
                     idle, pass / 1000, counts.runs, counts.events))
        print(String(format: "prune: %d runs completed meanwhile: p50 %.2f ms, p99 %.2f ms, max %.2f ms (vs p50 %.2f ms with nothing to prune)",
                     during.count, percentile(during, 0.5), percentile(during, 0.99), during.last ?? .nan, full.p50))
        print(String(format: "prune: file stays %.1f MiB with %.1f MiB free inside, which new runs reuse:",
                     Double(pruned) / 1_048_576, Double(freePages * pageSize) / 1_048_576))
        let refill = max(1, options.retained / 10)
        rig = try await rig.restartEngine(synchronous: options.synchronous) {
            _ = try RunCloner(path: path).clone(count: refill, tag: "b")
        }
        let refilled = try rig.checkpointedBytes()
        print(String(format: "prune: after %d more runs the file is %.1f MiB (grew %.1f MiB)",
                     refill, Double(refilled) / 1_048_576, Double(refilled - pruned) / 1_048_576))
        await rig.stop()
    }

    private func threeStep(_ rig: BenchRig) async throws {
        let id = try await rig.post([#"{"name":"bench/three","data":{"n":1}}"#])[0]
        guard try await rig.awaitOutput(id) == "123" else { throw BenchError("wrong output") }
    }

    private func latencies(_ rig: BenchRig, runs: Int) async throws -> (p50: Double, p90: Double) {
        var samples: [Double] = []
        for _ in 0..<runs { samples.append(try await timed { try await threeStep(rig) }) }
        samples.sort()
        return (percentile(samples, 0.5), percentile(samples, 0.9))
    }

    // MARK: Waiting runs

    func waiting() async throws {
        let rig = try await BenchRig.start(functions: [Self.waiter], databasePath: directory + "/waiting.sqlite",
                                           synchronous: options.synchronous, client: client)
        let waitsSQL = "SELECT count(*) FROM pauses WHERE kind = 'wait'"
        let samples = 200
        let quietIngest = try await nonMatching(rig, count: samples, tag: "quiet")
        var quietResume: [Double] = []
        for i in 0..<50 {
            let id = try await rig.post([#"{"name":"bench/wait","data":{"key":"solo-\#(i)"}}"#])[0]
            try await rig.awaitCount(waitsSQL, atLeast: 1, timeout: 30)
            quietResume.append(try await resume(rig, eventID: id, key: "solo-\(i)"))
        }
        var waitingIDs: [String] = []
        let started = try await timed {
            var ids: [String] = []
            for chunk in stride(from: 0, to: options.waiting, by: 100) {
                let events = (chunk..<min(chunk + 100, options.waiting)).map { #"{"name":"bench/wait","data":{"key":"k\#($0)"}}"# }
                ids += try await rig.post(events)
            }
            try await rig.awaitCount(waitsSQL, atLeast: options.waiting, timeout: 1_800)
            waitingIDs = ids
        }
        let busyIngest = try await nonMatching(rig, count: samples, tag: "busy")
        var busyResume: [Double] = []
        for i in 0..<samples { busyResume.append(try await resume(rig, eventID: waitingIDs[i], key: "k\(i)")) }
        quietResume.sort()
        busyResume.sort()
        print(String(format: "waiting: %d runs started and waiting in %.1f s", options.waiting, started / 1000))
        print(String(format: "waiting: non-matching event ingest p50 %.2f ms (p90 %.2f) vs %.2f ms with nobody waiting: ratio %.2f×",
                     busyIngest.p50, busyIngest.p90, quietIngest.p50, busyIngest.p50 / quietIngest.p50))
        print(String(format: "waiting: matching event → its run completed p50 %.2f ms (p90 %.2f) vs %.2f ms with one run waiting: ratio %.2f×",
                     percentile(busyResume, 0.5), percentile(busyResume, 0.9), percentile(quietResume, 0.5),
                     percentile(busyResume, 0.5) / percentile(quietResume, 0.5)))
        await rig.stop()
    }

    private func nonMatching(_ rig: BenchRig, count: Int, tag: String) async throws -> (p50: Double, p90: Double) {
        var samples: [Double] = []
        for i in 0..<count {
            samples.append(try await timed { _ = try await rig.post([#"{"name":"bench/answer","data":{"key":"none-\#(tag)-\#(i)"}}"#]) })
        }
        samples.sort()
        return (percentile(samples, 0.5), percentile(samples, 0.9))
    }

    private func resume(_ rig: BenchRig, eventID: String, key: String) async throws -> Double {
        guard let runID = rig.engine.runs(forEvent: eventID).first?["run_id"]?.stringValue else { throw BenchError("no run for \(key)") }
        let elapsed = try await timed {
            _ = try await rig.post([#"{"name":"bench/answer","data":{"key":"\#(key)"}}"#])
            guard await rig.engine.waitForRun(runID, timeout: 60) else { throw BenchError("run for \(key) did not finish") }
        }
        guard rig.engine.run(runID)?["output"] == "answered" else { throw BenchError("run for \(key) was not answered") }
        return elapsed
    }

    // MARK: Sleeping runs

    func sleeping() async throws {
        let rig = try await BenchRig.start(functions: [Self.sleeper], databasePath: directory + "/sleeping.sqlite",
                                           synchronous: options.synchronous, manualClock: true, client: client)
        let small = try await drain(rig, count: 100, alreadyDone: 0)
        let large = try await drain(rig, count: options.sleeping, alreadyDone: 100)
        print(String(format: "sleeping: %d runs waking at the same instant drained in %.2f s (%.0f runs/s) vs 100 in %.2f s (%.0f runs/s)",
                     options.sleeping, large / 1000, Double(options.sleeping) / (large / 1000), small / 1000, 100 / (small / 1000)))
        await rig.stop()
    }

    /// Starts `count` sleeping runs, then moves the clock past their wake-up
    /// and returns the milliseconds until every one completed.
    private func drain(_ rig: BenchRig, count: Int, alreadyDone: Int) async throws -> Double {
        for chunk in stride(from: 0, to: count, by: 100) {
            _ = try await rig.post((chunk..<min(chunk + 100, count)).map { #"{"name":"bench/sleep","data":{"n":\#($0)}}"# })
        }
        try await rig.awaitCount("SELECT count(*) FROM queue WHERE kind = 'sleep'", atLeast: count, timeout: 1_800)
        return try await timed {
            rig.clock?.advance(bySeconds: 3_601)
            try await rig.awaitCount("SELECT count(*) FROM runs WHERE status = 'Completed'", atLeast: alreadyDone + count, timeout: 1_800)
        }
    }
}


/// Set once, read from another task.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}
