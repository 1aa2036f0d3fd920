import InngestProtocol
import JSON

/// The settings that shape when and whether a run starts or keeps going:
/// event batching, singleton, start/finish timeouts, run priority and cron
/// jitter. Parsed and checked here with the limits the Inngest server applies,
/// so a config it accepts is accepted here and one it refuses is refused with
/// the reason. How the engine honours each is described in docs/engine.md.
extension FunctionDefinition {
    /// `batchEvents`: one run per `maxSize` events, or per whatever arrived
    /// within `timeout` of the batch's first event, grouped by `key`. Events
    /// for which `condition` is not true skip batching and start a run alone.
    public struct Batch: Sendable {
        public let maxSize: Int
        public let timeoutMilliseconds: Int64
        public let key: Expression?
        public let condition: Expression?
    }

    /// `singleton`: at most one running run per function (and `key`). A new
    /// run is dropped (`skip`) or replaces the running one (`cancel`).
    public struct Singleton: Sendable {
        public enum Mode: String, Sendable { case skip, cancel }
        public let mode: Mode
        public let key: Expression?
    }

    /// `timeouts`: a run not started within `start` of being queued, or not
    /// finished within `finish` of its first call, is cancelled.
    public struct Timeouts: Sendable {
        public let startMilliseconds: Int64?
        public let finishMilliseconds: Int64?
    }

    /// Largest batch accepted (the server's own event-per-request ceiling).
    public static let maximumBatchSize = 5_000
    /// A batch whose events exceed this many bytes starts at once, as on the server.
    public static let maximumBatchBytes = 10 * 1024 * 1024
    /// Bounds of a run's priority factor, in seconds (the server's).
    public static let priorityFactorBounds: ClosedRange<Int64> = -43_200...43_200
    /// Cron jitter is 0, or between these (the server's limits).
    public static let cronJitterBounds: ClosedRange<Int64> = 1_000...300_000

    static func batch(_ value: JSON?, _ fail: (String) -> EngineRegistrationError) throws -> Batch? {
        guard let value, !value.isNull else { return nil }
        guard let size = value["maxSize"]?.intValue, size >= 2, size <= maximumBatchSize else {
            throw fail("batchEvents 'maxSize' must be an integer from 2 to \(maximumBatchSize)")
        }
        guard let timeout = try duration(value["timeout"], "batchEvents timeout", fail), timeout >= 1000 else {
            throw fail("batchEvents needs a 'timeout' of at least 1s")
        }
        return Batch(maxSize: size, timeoutMilliseconds: timeout,
                     key: try expression(value["key"], "batchEvents key", fail),
                     condition: try expression(value["if"], "batchEvents 'if'", fail))
    }

    static func singleton(_ value: JSON?, _ fail: (String) -> EngineRegistrationError) throws -> Singleton? {
        guard let value, !value.isNull else { return nil }
        let text = value["mode"]?.stringValue ?? ""
        guard let mode = Singleton.Mode(rawValue: text) else { throw fail("singleton 'mode' must be 'skip' or 'cancel'") }
        return Singleton(mode: mode, key: try expression(value["key"], "singleton key", fail))
    }

    static func timeouts(_ value: JSON?, _ fail: (String) -> EngineRegistrationError) throws -> Timeouts? {
        guard let value, !value.isNull else { return nil }
        guard case .object = value else { throw fail("'timeouts' must be an object") }
        let start = try duration(value["start"], "timeouts.start", fail)
        let finish = try duration(value["finish"], "timeouts.finish", fail)
        if start == nil && finish == nil { return nil }
        return Timeouts(startMilliseconds: start.flatMap { $0 > 0 ? $0 : nil },
                        finishMilliseconds: finish.flatMap { $0 > 0 ? $0 : nil })
    }

    static func priority(_ value: JSON?, _ fail: (String) -> EngineRegistrationError) throws -> Expression? {
        guard let value, !value.isNull else { return nil }
        guard case .object = value else { throw fail("'priority' must be an object") }
        return try expression(value["run"], "priority.run", fail)
    }

    /// Cron `jitter` in milliseconds (0 when absent).
    static func cronJitter(_ value: JSON?, _ fail: (String) -> EngineRegistrationError) throws -> Int64 {
        guard let jitter = try duration(value, "cron jitter", fail), jitter > 0 else { return 0 }
        guard cronJitterBounds.contains(jitter) else { throw fail("cron jitter must be 0 or between 1s and 5m") }
        return jitter
    }

    /// Combinations the server refuses, refused here for the same reasons.
    static func checkCombinations(batch: Batch?, cancel: [CancelRule], debounce: Debounce?, singleton: Singleton?,
                                  priority: Expression?, _ fail: (String) -> EngineRegistrationError) throws {
        guard batch != nil else { return }
        if !cancel.isEmpty { throw fail("batching and cancellation are mutually exclusive") }
        if debounce != nil { throw fail("batching and debouncing are mutually exclusive") }
        if singleton != nil { throw fail("batching and singleton are mutually exclusive") }
        if priority != nil { throw fail("batching and priority.run are mutually exclusive") }
    }

    /// The run's priority factor in milliseconds for its first event: the
    /// `priority.run` value in seconds, clamped; 0 when absent or not a number.
    func priorityFactorMilliseconds(_ event: JSON) -> Int64 {
        guard let priority, case .number(let n) = priority.evaluate(event: event) else { return 0 }
        let seconds = n.doubleValue
        guard seconds.isFinite else { return 0 }
        let clamped = min(max(Int64(seconds.rounded(.towardZero)), Self.priorityFactorBounds.lowerBound),
                          Self.priorityFactorBounds.upperBound)
        return clamped * 1000
    }
}
