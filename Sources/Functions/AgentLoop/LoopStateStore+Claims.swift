import Foundation
import JSON
import SQLite

/// Why a stage may not act on a story.
public enum LoopGuard: String, Sendable, Codable, Equatable {
    case ok
    /// Nobody holds the story: the lease ran out.
    case leaseExpired = "lease_expired"
    /// Another run holds it.
    case alreadyClaimed = "already_claimed"
    /// The story has passed or failed for good.
    case alreadyFinished = "already_finished"
    case cancelled
}

extension LoopStateStore {
    /// Claims the story for `token` for `seconds`; the same token asking again
    /// (a retried step) is told yes. Expired claims are free.
    public func claim(_ loopId: String, _ storyId: String, token: String, seconds: Double, now: Date) throws -> Bool {
        try db.transaction {
            let t = now.timeIntervalSince1970
            try db.run("DELETE FROM agent_loop_claims WHERE loop_id = ? AND story_id = ? AND expires_at <= ?", [.text(loopId), .text(storyId), .real(t)])
            try db.run("INSERT OR IGNORE INTO agent_loop_claims(loop_id, story_id, token, expires_at) VALUES (?, ?, ?, ?)",
                       [.text(loopId), .text(storyId), .text(token), .real(t + seconds)])
            return try db.queryOne("SELECT token FROM agent_loop_claims WHERE loop_id = ? AND story_id = ?",
                                   [.text(loopId), .text(storyId)])?.string(0) == token
        }
    }

    /// Whether `token` may still act on the story; renews the lease when it may.
    public func check(_ loopId: String, _ storyId: String, token: String, seconds: Double, now: Date) throws -> LoopGuard {
        try db.transaction {
            if try isCancelled(loopId) { return .cancelled }
            if let record = try story(loopId, storyId), record.status == .passed || record.status == .failed { return .alreadyFinished }
            let t = now.timeIntervalSince1970
            guard let row = try db.queryOne("SELECT token, expires_at FROM agent_loop_claims WHERE loop_id = ? AND story_id = ?",
                                            [.text(loopId), .text(storyId)]), (row.double(1) ?? 0) > t else { return .leaseExpired }
            guard row.string(0) == token else { return .alreadyClaimed }
            try db.run("UPDATE agent_loop_claims SET expires_at = ? WHERE loop_id = ? AND story_id = ?",
                       [.real(t + seconds), .text(loopId), .text(storyId)])
            return .ok
        }
    }

    public func release(_ loopId: String, _ storyId: String) throws {
        try db.run("DELETE FROM agent_loop_claims WHERE loop_id = ? AND story_id = ?", [.text(loopId), .text(storyId)])
    }

    // MARK: progress

    /// Appends a progress entry once per `key` (a retried step adds nothing).
    public func appendProgress(_ loopId: String, _ text: String, now: Date) throws {
        try db.transaction {
            let exists = try db.queryOne("SELECT 1 FROM agent_loop_progress WHERE loop_id = ? AND text = ?", [.text(loopId), .text(text)]) != nil
            if !exists {
                try db.run("INSERT INTO agent_loop_progress(loop_id, at, text) VALUES (?, ?, ?)",
                           [.text(loopId), .real(now.timeIntervalSince1970), .text(text)])
            }
        }
    }

    public func progress(_ loopId: String) throws -> [String] {
        try db.query("SELECT text FROM agent_loop_progress WHERE loop_id = ? ORDER BY id", [.text(loopId)]).compactMap { $0.string(0) }
    }

    // MARK: per project

    public func saveRecommendations(_ recommendations: LoopRecommendations, patterns: String?, projectKey: String, now: Date) throws {
        try db.run("""
            INSERT INTO agent_loop_recommendations(project_key, recommendations, patterns, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT(project_key) DO UPDATE SET recommendations = excluded.recommendations,
                patterns = COALESCE(excluded.patterns, agent_loop_recommendations.patterns), updated_at = excluded.updated_at
            """, [.text(projectKey), .text(try JSON(encoding: recommendations).serialized()), SQLiteValue(patterns), .real(now.timeIntervalSince1970)])
    }

    public func recommendations(projectKey: String) throws -> (recommendations: LoopRecommendations?, patterns: String?) {
        guard let row = try db.queryOne("SELECT recommendations, patterns FROM agent_loop_recommendations WHERE project_key = ?",
                                        [.text(projectKey)]) else { return (nil, nil) }
        return (try row.string(0).map { try JSON(parsing: $0).decode(LoopRecommendations.self) }, row.string(1))
    }

    public func addLesson(_ text: String, projectKey: String, now: Date) throws {
        try db.run("INSERT INTO agent_loop_lessons(project_key, at, text) VALUES (?, ?, ?)",
                   [.text(projectKey), .real(now.timeIntervalSince1970), .text(text)])
    }

    /// The newest `limit` lessons, newest first.
    public func lessons(projectKey: String, limit: Int) throws -> [String] {
        try db.query("SELECT text FROM agent_loop_lessons WHERE project_key = ? ORDER BY id DESC LIMIT ?",
                     [.text(projectKey), .integer(Int64(limit))]).compactMap { $0.string(0) }
    }
}
