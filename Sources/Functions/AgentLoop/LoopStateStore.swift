import Foundation
import JSON
import SQLite

/// The agent loop's durable state on the functions' SQLite file: one row per
/// loop (its settings, status and expiry), one per story, the story claims,
/// the progress log, and per-project recommendations and lessons.
///
/// The expiry is set once when a loop is created and no update touches it,
/// so state lives for the configured TTL however often it changes. Every
/// method is one transaction, safe to call again from a retried step.
public struct LoopStateStore: Sendable {
    let db: SQLiteDatabase

    public init(database: FunctionsDatabase) {
        db = database.sqlite
    }

    public struct LoopSummary: Sendable, Equatable {
        public var loopId: String
        public var project: String
        public var title: String
        public var status: String
        public var reason: String?
        public var summary: String?
        public var createdAt: Date
    }

    // MARK: loops

    /// Creates the loop unless it exists (a retried or repeated start keeps
    /// the first settings). Loops past their expiry are removed first.
    @discardableResult
    public func createLoop(_ settings: LoopSettings, now: Date, ttl: Double) throws -> LoopSettings {
        try db.transaction {
            try purgeExpired(now: now)
            let t = now.timeIntervalSince1970
            try db.run("""
                INSERT OR IGNORE INTO agent_loops(loop_id, project_key, settings, status, created_at, updated_at, expires_at)
                VALUES (?, ?, ?, 'running', ?, ?, ?)
                """, [.text(settings.loopId), .text(settings.projectKey), .text(try JSON(encoding: settings).serialized()),
                      .real(t), .real(t), .real(t + ttl)])
            return try self.settings(settings.loopId)!
        }
    }

    public func settings(_ loopId: String) throws -> LoopSettings? {
        guard let text = try db.queryOne("SELECT settings FROM agent_loops WHERE loop_id = ?", [.text(loopId)])?.string(0) else { return nil }
        return try JSON(parsing: text).decode(LoopSettings.self)
    }

    public func loop(_ loopId: String) throws -> LoopSummary? {
        try db.queryOne("SELECT loop_id, settings, title, status, reason, summary, created_at FROM agent_loops WHERE loop_id = ?",
                        [.text(loopId)]).map(summary)
    }

    /// The most recent loops first.
    public func recentLoops(limit: Int) throws -> [LoopSummary] {
        try db.query("SELECT loop_id, settings, title, status, reason, summary, created_at FROM agent_loops ORDER BY created_at DESC LIMIT ?",
                     [.integer(Int64(max(0, limit)))]).map(summary)
    }

    private func summary(_ row: SQLiteRow) throws -> LoopSummary {
        let settings = try JSON(parsing: row.string(1) ?? "{}").decode(LoopSettings.self)
        return LoopSummary(loopId: row.string(0) ?? "", project: settings.project, title: row.string(2) ?? "",
                           status: row.string(3) ?? "", reason: row.string(4), summary: row.string(5),
                           createdAt: Date(timeIntervalSince1970: row.double(6) ?? 0))
    }

    /// Sets the status (`running`, `completed`, `merged`, `cancelled`, `blocked`…); the expiry is kept.
    public func setStatus(_ loopId: String, _ status: String, reason: String? = nil, summary: String? = nil, now: Date) throws {
        try db.run("UPDATE agent_loops SET status = ?, reason = COALESCE(?, reason), summary = COALESCE(?, summary), updated_at = ? WHERE loop_id = ?",
                   [.text(status), SQLiteValue(reason), SQLiteValue(summary), .real(now.timeIntervalSince1970), .text(loopId)])
    }

    /// Marks the loop cancelled; running tools poll this and stop their process group.
    public func cancel(_ loopId: String, reason: String, now: Date) throws -> Bool {
        try db.run("UPDATE agent_loops SET status = 'cancelled', reason = ?, updated_at = ? WHERE loop_id = ?",
                   [.text(reason), .real(now.timeIntervalSince1970), .text(loopId)]) > 0
    }

    public func isCancelled(_ loopId: String) throws -> Bool {
        try db.queryOne("SELECT status FROM agent_loops WHERE loop_id = ?", [.text(loopId)])?.string(0) == "cancelled"
    }

    private func purgeExpired(now: Date) throws {
        let expired = try db.query("SELECT loop_id FROM agent_loops WHERE expires_at <= ?", [.real(now.timeIntervalSince1970)]).compactMap { $0.string(0) }
        for id in expired {
            for table in ["agent_loops", "agent_loop_stories", "agent_loop_claims", "agent_loop_progress"] {
                try db.run("DELETE FROM \(table) WHERE loop_id = ?", [.text(id)])
            }
        }
    }

    // MARK: stories

    /// Stores the PRD's stories once (a repeated call keeps their progress).
    public func seedStories(_ loopId: String, prd: LoopPRD, now: Date) throws {
        try db.transaction {
            try db.run("UPDATE agent_loops SET title = ?, updated_at = ? WHERE loop_id = ?",
                       [.text(prd.title), .real(now.timeIntervalSince1970), .text(loopId)])
            for (index, story) in prd.stories.enumerated() {
                try db.run("INSERT OR IGNORE INTO agent_loop_stories(loop_id, story_id, position, story, status) VALUES (?, ?, ?, ?, 'pending')",
                           [.text(loopId), .text(story.id), .integer(Int64(index)), .text(try JSON(encoding: story).serialized())])
            }
        }
    }

    /// Stories in plan order: by priority (none last), then file order.
    public func stories(_ loopId: String) throws -> [StoryRecord] {
        let rows = try db.query("SELECT story, status, attempts, tool, last_result, position FROM agent_loop_stories WHERE loop_id = ? ORDER BY position",
                                [.text(loopId)])
        let records = try rows.map { row in
            StoryRecord(story: try JSON(parsing: row.string(0) ?? "{}").decode(LoopStory.self),
                        status: StoryStatus(rawValue: row.string(1) ?? "") ?? .pending, attempts: row.int(2) ?? 0,
                        tool: row.string(3), lastResult: row.string(4))
        }
        return records.enumerated().sorted { a, b in
            let pa = a.element.story.priority ?? Int.max, pb = b.element.story.priority ?? Int.max
            return pa != pb ? pa < pb : a.offset < b.offset
        }.map(\.element)
    }

    public func story(_ loopId: String, _ storyId: String) throws -> StoryRecord? {
        try stories(loopId).first { $0.story.id == storyId }
    }

    /// Records an attempt's state; `attempts` only ever grows.
    public func updateStory(_ loopId: String, _ storyId: String, status: StoryStatus, attempt: Int? = nil,
                            tool: String? = nil, result: String? = nil) throws {
        try db.run("""
            UPDATE agent_loop_stories SET status = ?, attempts = MAX(attempts, COALESCE(?, attempts)),
                tool = COALESCE(?, tool), last_result = COALESCE(?, last_result)
            WHERE loop_id = ? AND story_id = ?
            """, [.text(status.rawValue), SQLiteValue(attempt), SQLiteValue(tool), SQLiteValue(result), .text(loopId), .text(storyId)])
    }
}
