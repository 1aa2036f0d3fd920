import JSON
import SQLite

/// A step's history as people read it (name, op, timing, attempts), kept
/// beside its memo. The run state machine never reads it back: it only
/// serves the run trace API and the console.
extension EngineStore {
    struct StepLogRow: Sendable {
        let stepID: String
        let name: String
        let op: String
        let startedAt: Int64
        let endedAt: Int64?
        let attempts: Int
        let info: JSON?
        /// The memo (`{"data":…}`, `{"error":…}`, an event or null); nil while outstanding.
        let memo: String?
    }

    /// Records that the worker reported `op` for a step; the first start is
    /// kept, the latest op, end and attempt count win.
    func logStep(_ runID: String, _ stepID: String, name: String, op: String, startedAt: Int64, endedAt: Int64?,
                 attempts: Int, info: JSON? = nil) throws {
        try db.run("""
            INSERT INTO step_log (run_id, step_id, name, op, started_at, ended_at, attempts, info)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(run_id, step_id) DO UPDATE SET
                name = CASE WHEN excluded.name = '' THEN step_log.name ELSE excluded.name END,
                op = excluded.op, ended_at = excluded.ended_at,
                attempts = max(step_log.attempts, excluded.attempts),
                info = coalesce(excluded.info, step_log.info)
            """, [.text(runID), .text(stepID), .text(name), .text(op), .integer(startedAt), SQLiteValue(endedAt),
                  .integer(Int64(attempts)), SQLiteValue(info?.serialized())])
    }

    /// Marks a step that waited (sleep, wait, invoke) as ended.
    func endStep(_ runID: String, _ stepID: String, now: Int64) throws {
        try db.run("UPDATE step_log SET ended_at = ? WHERE run_id = ? AND step_id = ? AND ended_at IS NULL",
                   [.integer(now), .text(runID), .text(stepID)])
    }

    /// A run's steps in the order they started, with their memos.
    func stepLog(_ runID: String) throws -> [StepLogRow] {
        try db.query("""
            SELECT l.step_id, l.name, l.op, l.started_at, l.ended_at, l.attempts, l.info, s.memo
            FROM step_log l LEFT JOIN steps s ON s.run_id = l.run_id AND s.step_id = l.step_id
            WHERE l.run_id = ? ORDER BY l.started_at, coalesce(s.position, 1000000000), l.step_id
            """, [.text(runID)]).map {
            StepLogRow(stepID: $0.string(0) ?? "", name: $0.string(1) ?? "", op: $0.string(2) ?? "",
                       startedAt: $0.int64(3) ?? 0, endedAt: $0.int64(4), attempts: $0.int(5) ?? 1,
                       info: $0.string(6).flatMap { try? JSON(parsing: $0) }, memo: $0.string(7))
        }
    }
}
