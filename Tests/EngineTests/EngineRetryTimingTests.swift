import Engine
import Foundation
import HTTP
import InngestProtocol
import JSON
import SQLite
import Testing
import TestSupport

/// The default retry schedule, end to end: an SDK-served step that fails is
/// retried on the Inngest server's timetable (15 s, then 30 s, … each plus up
/// to 30 s of jitter), read from the durable queue and driven by the manual clock.
@Suite("Engine end to end: the server's retry timetable", .serialized)
struct EngineRetryTimingTests {
    @Test func failedStepsAreRetriedAfterFifteenThenThirtySecondsPlusJitter() async throws {
        let tally = Tally()
        let fn = InngestFunction(id: "flaky", triggers: [.event("rt/flaky")], config: FunctionConfiguration(retries: 3)) { ctx -> String in
            try await ctx.step.run("call-upstream") { () -> String in
                tally.hit("try")
                if tally.count("try") < 3 { throw StepFailure("upstream down") }
                return "recovered"
            }
        }
        let h = try await EngineHarness.start(functions: [fn], manualClock: true) { $0.settings.retryBaseMilliseconds = nil }
        let id = try await h.send("rt/flaky")
        for (attempt, table) in [(1, 15_000 as Int64), (2, 30_000)] {
            try await waitUntil("retry \(attempt) queued") { try h.queuedRetries(attempt: attempt) == 1 }
            let delay = try retryDue(h, attempt: attempt) - (h.clock?.nowMilliseconds() ?? 0)
            #expect(delay >= table && delay < table + 30_000, "retry \(attempt) due in \(delay) ms")
            h.clock?.advance(byMilliseconds: delay)
            try await waitUntil("attempt \(attempt + 1) made") { tally.count("try") == attempt + 1 }
        }
        let runs = try await h.finishedRuns(forEvent: id)
        #expect(runs[0]["output"] == "recovered")
        await h.stop()
    }

    private func retryDue(_ h: EngineHarness, attempt: Int) throws -> Int64 {
        try h.probe().queryOne("SELECT due_at FROM queue WHERE kind = 'call' AND attempt = ?", [.integer(Int64(attempt))])?.int64(0) ?? 0
    }
}

private struct StepFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
