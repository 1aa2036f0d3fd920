import JSON

/// A run row as the executor and the API read it.
public struct RunRecord: Sendable {
    public enum Status: String, Sendable, CaseIterable {
        case running = "Running", completed = "Completed", failed = "Failed", cancelled = "Cancelled"
        public var isTerminal: Bool { self != .running }
    }

    public let id: String
    public let functionID: String
    public let status: Status
    public let eventID: String
    /// JSON array text of the triggering events.
    public let eventsText: String
    public let outputText: String?
    public let errorText: String?
    public let version: Int
    public let concurrency: [(key: String, limit: Int)]
    public let correlationID: String?
    public let startedAt: Int64
    public let endedAt: Int64?
}
