import JSON

/// One unit of durable work: an SDK call to make or a timer to fire.
///
/// Every item is a row in the `queue` table before anything acts on it, and
/// is deleted in the same transaction that records its outcome, so a crash at
/// any point leaves it to be done (again) after restart.
public struct QueueItem: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// POST to the function's URL with `stepId` = `stepID` (`step` = discovery).
        case call
        /// A `step.sleep` ends: memoise `null`.
        case sleep
        /// A `waitForEvent` or `invoke` times out (payload: the pause id).
        case waitTimeout = "wait_timeout"
        /// A cron tick (payload: function id and cron text).
        case cron
        /// A debounce period ends (payload: function id and key).
        case debounce
        /// A batch's timeout ends (payload: function id, key and batch id).
        case batch
        /// A run's start or finish timeout ends (payload: `which`, `start` or `finish`).
        case runTimeout = "run_timeout"
    }

    public var id: Int64
    public var kind: Kind
    public var runID: String?
    public var stepID: String?
    public var attempt: Int
    public var dueAt: Int64
    public var payload: JSON?

    public init(id: Int64 = 0, kind: Kind, runID: String? = nil, stepID: String? = nil,
                attempt: Int = 0, dueAt: Int64, payload: JSON? = nil) {
        self.id = id
        self.kind = kind
        self.runID = runID
        self.stepID = stepID
        self.attempt = attempt
        self.dueAt = dueAt
        self.payload = payload
    }
}

/// The step id the SDK reads as "discover what to do next".
let discoveryStepID = "step"
