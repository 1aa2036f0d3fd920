import Foundation

/// One line of the system log (`dev.joelclaw.system.log`): what happened, by
/// which tool, and why. `id` makes appends idempotent.
public struct SystemLogEntry: Sendable, Equatable {
    /// Stable per logical entry (derived from the triggering event), so a
    /// retried step or a re-delivered event never writes a second line.
    public var id: String
    /// ISO 8601 with milliseconds, UTC.
    public var timestamp: String
    public var action: String
    public var tool: String
    public var detail: String
    public var reason: String?

    public init(id: String, timestamp: String, action: String, tool: String, detail: String, reason: String? = nil) {
        self.id = id
        self.timestamp = timestamp
        self.action = action
        self.tool = tool
        self.detail = detail
        self.reason = reason
    }
}

/// The append-only system log. The one real implementation is `JSONLinesSystemLog`.
public protocol SystemLog: Sendable {
    /// Appends the entry unless one with the same id is already there.
    /// Returns whether a line was written.
    @discardableResult
    func append(_ entry: SystemLogEntry) throws -> Bool
    /// Every entry, oldest first (lines that are not entries are skipped).
    func entries() throws -> [SystemLogEntry]
}
