import Foundation

/// Step and run metrics, fed from the SDK's middleware hooks
/// (`beforeExecution` → `callStarted`, `afterExecution` → `callFinished`, a
/// function-level `transformOutput` → `runFinished`).
///
/// A call's duration is one step's execution. A run's duration spans from the
/// first call this process saw for it to its function-level result, so it is
/// known only for runs that started since the worker did. Pending starts are
/// bounded: the oldest are forgotten beyond `maxTrackedRuns`.
public final class FunctionMetrics: @unchecked Sendable {
    public enum Outcome: String, Sendable {
        /// The function returned a value: the run is complete.
        case completed
        /// The function threw; Inngest retries unless attempts are exhausted.
        case errored
    }

    private let steps: Histogram
    private let runs: Counter
    private let runDurations: Histogram
    private let now: @Sendable () -> Double
    private let maxTrackedRuns: Int
    private let lock = NSLock()
    private var callStarts: [String: [Double]] = [:]
    private var runStarts: [String: Double] = [:]
    private var runOrder: [String] = []

    public init(metrics: Metrics, maxTrackedRuns: Int = 10_000,
                now: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        let buckets: [Double] = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 1800]
        steps = metrics.histogram("joelclaw_step_duration_seconds", help: "Time one call spent executing new code (one step or the function's end), by function.",
                                  labels: ["function"], buckets: buckets)
        runs = metrics.counter("joelclaw_function_results_total", help: "Function-level results: completed, or errored (retried unless attempts are exhausted).",
                               labels: ["function", "outcome"])
        runDurations = metrics.histogram("joelclaw_run_duration_seconds", help: "Time from the first call this worker saw for a run to its result, by function and outcome.",
                                         labels: ["function", "outcome"], buckets: buckets)
        self.now = now
        self.maxTrackedRuns = maxTrackedRuns
    }

    public func callStarted(function: String, runId: String) {
        let t = now()
        lock.withLock {
            callStarts[runId, default: []].append(t)
            if runStarts[runId] == nil {
                runStarts[runId] = t
                runOrder.append(runId)
                if runOrder.count > maxTrackedRuns {
                    let dropped = runOrder.removeFirst()
                    runStarts[dropped] = nil
                    callStarts[dropped] = nil
                }
            }
        }
    }

    public func callFinished(function: String, runId: String) {
        let t = now()
        let start: Double? = lock.withLock {
            guard var list = callStarts[runId], !list.isEmpty else { return nil }
            let first = list.removeFirst()
            callStarts[runId] = list.isEmpty ? nil : list
            return first
        }
        if let start { steps.observe(max(0, t - start), [function]) }
    }

    public func runFinished(function: String, runId: String, outcome: Outcome) {
        let t = now()
        runs.increment([function, outcome.rawValue])
        let start: Double? = lock.withLock {
            let s = runStarts[runId]
            if outcome == .completed {
                runStarts[runId] = nil
                runOrder.removeAll { $0 == runId }
            }
            return s
        }
        if let start { runDurations.observe(max(0, t - start), [function, outcome.rawValue]) }
    }
}
