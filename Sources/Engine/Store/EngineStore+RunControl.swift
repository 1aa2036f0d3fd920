import SQLite

/// Reads and writes behind batching, singleton, timeouts and priority.
extension EngineStore {
    // MARK: Batches

    struct OpenBatch {
        let batchID: String
        let eventsText: String
        let count: Int
        let firstAt: Int64
    }

    func openBatch(functionID: String, key: String) throws -> OpenBatch? {
        try db.queryOne("SELECT batch_id, events, count, first_at FROM batches WHERE function_id = ? AND key = ?",
                        [.text(functionID), .text(key)]).map {
            OpenBatch(batchID: $0.string(0) ?? "", eventsText: $0.string(1) ?? "[]", count: $0.int(2) ?? 0, firstAt: $0.int64(3) ?? 0)
        }
    }

    func saveBatch(functionID: String, key: String, _ batch: OpenBatch) throws {
        try db.run("INSERT OR REPLACE INTO batches (function_id, key, batch_id, events, count, first_at) VALUES (?, ?, ?, ?, ?, ?)",
                   [.text(functionID), .text(key), .text(batch.batchID), .text(batch.eventsText),
                    .integer(Int64(batch.count)), .integer(batch.firstAt)])
    }

    func deleteBatch(functionID: String, key: String) throws {
        try db.run("DELETE FROM batches WHERE function_id = ? AND key = ?", [.text(functionID), .text(key)])
    }

    // MARK: Singletons

    /// The run holding the key, if that run is still running.
    func singletonHolder(functionID: String, key: String) throws -> String? {
        try db.queryOne("""
            SELECT s.run_id FROM singletons s JOIN runs r ON r.id = s.run_id
            WHERE s.function_id = ? AND s.key = ? AND r.status = 'Running'
            """, [.text(functionID), .text(key)])?.string(0)
    }

    /// Forgets keys whose run has ended or is gone (part of pruning); returns how many.
    @discardableResult
    func releaseEndedSingletons() throws -> Int {
        try db.run("""
            DELETE FROM singletons WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = singletons.run_id AND r.status = 'Running')
            """)
    }

    func holdSingleton(functionID: String, key: String, runID: String) throws {
        try db.run("INSERT OR REPLACE INTO singletons (function_id, key, run_id) VALUES (?, ?, ?)",
                   [.text(functionID), .text(key), .text(runID)])
    }

    // MARK: Per-run scheduling facts

    func setPriorityFactor(_ runID: String, milliseconds: Int64) throws {
        try db.run("""
            INSERT INTO run_control (run_id, priority_ms) VALUES (?, ?)
            ON CONFLICT(run_id) DO UPDATE SET priority_ms = excluded.priority_ms
            """, [.text(runID), .integer(milliseconds)])
    }

    func priorityFactor(_ runID: String) throws -> Int64 {
        try db.queryOne("SELECT priority_ms FROM run_control WHERE run_id = ?", [.text(runID)])?.int64(0) ?? 0
    }

    func firstCallAt(_ runID: String) throws -> Int64? {
        try db.queryOne("SELECT first_call_at FROM run_control WHERE run_id = ?", [.text(runID)])?.int64(0)
    }

    func setFirstCallAt(_ runID: String, _ at: Int64) throws {
        try db.run("""
            INSERT INTO run_control (run_id, first_call_at) VALUES (?, ?)
            ON CONFLICT(run_id) DO UPDATE SET first_call_at = excluded.first_call_at
            """, [.text(runID), .integer(at)])
    }
}
