import JSON
import SQLite

/// Typed reads and writes over the engine's SQLite file.
///
/// Pure persistence: no decisions are made here. Callers group calls in
/// `transaction` so each state change of a run commits atomically.
final class EngineStore: @unchecked Sendable {
    let db: SQLiteDatabase
    let writer: GroupCommitWriter

    init(path: String, synchronous: SQLiteDatabase.Synchronous, now: Int64) throws {
        var options = SQLiteDatabase.Options()
        options.synchronous = synchronous
        db = try SQLiteDatabase(path: path, options: options)
        try EngineSchema.migrate(db, now: now)
        writer = GroupCommitWriter(db: db)
    }

    func transaction<T>(_ body: () throws -> T) throws -> T { try db.transaction(body) }

    /// A write transaction committed together with others queued meanwhile (see `GroupCommitWriter`).
    func write<T>(_ body: @escaping () throws -> T) async throws -> T { try await writer.write(body) }

    // MARK: Apps and functions

    func appChecksum(_ appID: String) throws -> String? {
        try db.queryOne("SELECT checksum FROM apps WHERE id = ?", [.text(appID)])?.string(0)
    }

    /// Replaces the app's functions with `functions` (id, config JSON text).
    func saveApp(id: String, url: String, sdk: String, checksum: String, functions: [(String, String)], now: Int64) throws {
        try db.run("""
            INSERT INTO apps (id, url, sdk, checksum, updated_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET url = excluded.url, sdk = excluded.sdk,
                checksum = excluded.checksum, updated_at = excluded.updated_at
            """, [.text(id), .text(url), .text(sdk), .text(checksum), .integer(now)])
        try db.run("DELETE FROM functions WHERE app_id = ?", [.text(id)])
        for (functionID, config) in functions {
            try db.run("""
                INSERT INTO functions (id, app_id, config, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET app_id = excluded.app_id, config = excluded.config, updated_at = excluded.updated_at
                """, [.text(functionID), .text(id), .text(config), .integer(now)])
        }
    }

    /// Every registered function as (app id, config JSON text).
    func allFunctions() throws -> [(appID: String, config: String)] {
        try db.query("SELECT app_id, config FROM functions ORDER BY id").map { ($0.string(0) ?? "", $0.string(1) ?? "null") }
    }

    /// The functions of one app as (id, config JSON text, last sync), in id order; none for an unknown app.
    func functions(ofApp appID: String) throws -> [(id: String, config: String, updatedAt: Int64)] {
        try db.query("SELECT id, config, updated_at FROM functions WHERE app_id = ? ORDER BY id", [.text(appID)])
            .map { ($0.string(0) ?? "", $0.string(1) ?? "null", $0.int64(2) ?? 0) }
    }

    // MARK: Events

    func insertEvent(id: String, clientID: String?, name: String, body: String, ts: Int64, receivedAt: Int64) throws {
        try db.run("INSERT INTO events (id, client_id, name, body, ts, received_at) VALUES (?, ?, ?, ?, ?, ?)",
                   [.text(id), SQLiteValue(clientID), .text(name), .text(body), .integer(ts), .integer(receivedAt)])
    }

    /// True when an earlier event (other than `excluding`) carried the same client id since `since`.
    func clientIDSeen(_ clientID: String, since: Int64, excluding: String) throws -> Bool {
        try db.queryOne("SELECT 1 FROM events WHERE client_id = ? AND received_at >= ? AND id != ? LIMIT 1",
                        [.text(clientID), .integer(since), .text(excluding)]) != nil
    }

    func eventBody(_ id: String) throws -> String? {
        try db.queryOne("SELECT body FROM events WHERE id = ?", [.text(id)])?.string(0)
    }

    // MARK: Runs

    func insertRun(id: String, functionID: String, eventID: String, eventIDs: [String], eventsText: String,
                   concurrencyText: String, correlationID: String?, now: Int64) throws {
        try db.run("""
            INSERT INTO runs (id, function_id, status, event_id, events, concurrency, correlation_id, started_at)
            VALUES (?, ?, 'Running', ?, ?, ?, ?, ?)
            """, [.text(id), .text(functionID), .text(eventID), .text(eventsText), .text(concurrencyText),
                  SQLiteValue(correlationID), .integer(now)])
        for e in eventIDs {
            try db.run("INSERT OR IGNORE INTO run_events (event_id, run_id) VALUES (?, ?)", [.text(e), .text(id)])
        }
    }

    func run(_ id: String) throws -> RunRecord? {
        try db.queryOne("""
            SELECT id, function_id, status, event_id, events, output, error, version, concurrency,
                   correlation_id, started_at, ended_at FROM runs WHERE id = ?
            """, [.text(id)]).map(Self.runRecord)
    }

    func runs(forEvent eventID: String) throws -> [RunRecord] {
        try db.query("""
            SELECT r.id, r.function_id, r.status, r.event_id, r.events, r.output, r.error, r.version, r.concurrency,
                   r.correlation_id, r.started_at, r.ended_at
            FROM run_events e JOIN runs r ON r.id = e.run_id WHERE e.event_id = ? ORDER BY r.id
            """, [.text(eventID)]).map(Self.runRecord)
    }

    static func runRecord(_ row: SQLiteRow) -> RunRecord {
        var limits: [(String, Int)] = []
        if let text = row.string(8), let json = try? JSON(parsing: text), let pairs = json.arrayValue {
            for pair in pairs { if let k = pair[0]?.stringValue, let l = pair[1]?.intValue { limits.append((k, l)) } }
        }
        return RunRecord(
            id: row.string(0) ?? "", functionID: row.string(1) ?? "",
            status: RunRecord.Status(rawValue: row.string(2) ?? "") ?? .failed,
            eventID: row.string(3) ?? "", eventsText: row.string(4) ?? "[]",
            outputText: row.string(5), errorText: row.string(6), version: row.int(7) ?? -1,
            concurrency: limits.map { (key: $0.0, limit: $0.1) }, correlationID: row.string(9),
            startedAt: row.int64(10) ?? 0, endedAt: row.int64(11))
    }

    func setRunVersion(_ runID: String, _ version: Int) throws {
        try db.run("UPDATE runs SET version = ? WHERE id = ? AND version = -1", [.integer(Int64(version)), .text(runID)])
    }

    func finishRun(_ runID: String, status: RunRecord.Status, output: String?, error: String?, now: Int64) throws {
        try db.run("UPDATE runs SET status = ?, output = ?, error = ?, ended_at = ? WHERE id = ?",
                   [.text(status.rawValue), SQLiteValue(output), SQLiteValue(error), .integer(now), .text(runID)])
        try db.run("DELETE FROM queue WHERE run_id = ?", [.text(runID)])
        try db.run("DELETE FROM pauses WHERE run_id = ?", [.text(runID)])
        try db.run("DELETE FROM pending_steps WHERE run_id = ?", [.text(runID)])
    }

    // MARK: Steps

    /// Memoised steps in completion order (the order of `ctx.stack.stack`).
    func steps(_ runID: String) throws -> [(id: String, memo: String)] {
        try db.query("SELECT step_id, memo FROM steps WHERE run_id = ? ORDER BY position", [.text(runID)])
            .map { ($0.string(0) ?? "", $0.string(1) ?? "null") }
    }

    /// Records a step's memo once; returns false when it was already recorded.
    @discardableResult
    func insertStep(_ runID: String, _ stepID: String, memo: String) throws -> Bool {
        try db.run("""
            INSERT OR IGNORE INTO steps (run_id, step_id, position, memo)
            VALUES (?, ?, (SELECT next_position FROM runs WHERE id = ?), ?)
            """, [.text(runID), .text(stepID), .text(runID), .text(memo)]) == 1
            && (try db.run("UPDATE runs SET next_position = next_position + 1 WHERE id = ?", [.text(runID)])) == 1
    }

    func addPending(_ runID: String, _ stepID: String, kind: String) throws {
        try db.run("INSERT OR IGNORE INTO pending_steps (run_id, step_id, kind) VALUES (?, ?, ?)",
                   [.text(runID), .text(stepID), .text(kind)])
    }

    func removePending(_ runID: String, _ stepID: String) throws {
        try db.run("DELETE FROM pending_steps WHERE run_id = ? AND step_id = ?", [.text(runID), .text(stepID)])
    }

    func pendingCount(_ runID: String) throws -> Int {
        try db.queryOne("SELECT count(*) FROM pending_steps WHERE run_id = ?", [.text(runID)])?.int(0) ?? 0
    }

    // MARK: Queue

    func insertQueueItem(_ item: QueueItem) throws -> QueueItem {
        try db.run("INSERT INTO queue (kind, run_id, step_id, attempt, due_at, payload) VALUES (?, ?, ?, ?, ?, ?)",
                   [.text(item.kind.rawValue), SQLiteValue(item.runID), SQLiteValue(item.stepID),
                    .integer(Int64(item.attempt)), .integer(item.dueAt), SQLiteValue(item.payload?.serialized())])
        var stored = item
        stored.id = db.lastInsertRowID
        return stored
    }

    /// Deletes the item; false when it was already gone (cancelled or done).
    func deleteQueueItem(_ id: Int64) throws -> Bool {
        try db.run("DELETE FROM queue WHERE id = ?", [.integer(id)]) == 1
    }

    func queueItemExists(_ id: Int64) throws -> Bool {
        try db.queryOne("SELECT 1 FROM queue WHERE id = ?", [.integer(id)]) != nil
    }

    func allQueueItems() throws -> [QueueItem] {
        try db.query("SELECT id, kind, run_id, step_id, attempt, due_at, payload FROM queue ORDER BY due_at, id").compactMap(Self.queueItem)
    }

    func queueItems(kind: QueueItem.Kind) throws -> [QueueItem] {
        try db.query("SELECT id, kind, run_id, step_id, attempt, due_at, payload FROM queue WHERE kind = ?",
                     [.text(kind.rawValue)]).compactMap(Self.queueItem)
    }

    static func queueItem(_ row: SQLiteRow) -> QueueItem? {
        guard let kind = QueueItem.Kind(rawValue: row.string(1) ?? "") else { return nil }
        return QueueItem(id: row.int64(0) ?? 0, kind: kind, runID: row.string(2), stepID: row.string(3),
                         attempt: row.int(4) ?? 0, dueAt: row.int64(5) ?? 0,
                         payload: row.string(6).flatMap { try? JSON(parsing: $0) })
    }

    // MARK: Pauses

    func insertPause(_ p: PauseRecord, now: Int64) throws {
        try db.run("""
            INSERT INTO pauses (id, run_id, kind, step_id, event_name, expression, correlation_id, trigger_event, expires_at, created_at,
                                match_path, match_value)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(p.id), .text(p.runID), .text(p.kind.rawValue), SQLiteValue(p.stepID), .text(p.eventName),
                  SQLiteValue(p.expression), SQLiteValue(p.correlationID), .text(p.triggerEventText),
                  SQLiteValue(p.expiresAt), .integer(now), SQLiteValue(p.matchKey?.path), SQLiteValue(p.matchKey?.value)])
    }

    func pauses(forEvent name: String) throws -> [PauseRecord] {
        try db.query("""
            SELECT id, run_id, kind, step_id, event_name, expression, correlation_id, trigger_event, expires_at
            FROM pauses WHERE event_name = ? ORDER BY created_at, id
            """, [.text(name)]).compactMap(Self.pause)
    }

    func pause(_ id: String) throws -> PauseRecord? {
        try db.queryOne("""
            SELECT id, run_id, kind, step_id, event_name, expression, correlation_id, trigger_event, expires_at
            FROM pauses WHERE id = ?
            """, [.text(id)]).flatMap(Self.pause)
    }

    func deletePause(_ id: String) throws -> Bool {
        try db.run("DELETE FROM pauses WHERE id = ?", [.text(id)]) == 1
    }

    static func pause(_ row: SQLiteRow) -> PauseRecord? {
        guard let kind = PauseRecord.Kind(rawValue: row.string(2) ?? "") else { return nil }
        return PauseRecord(id: row.string(0) ?? "", runID: row.string(1) ?? "", kind: kind, stepID: row.string(3),
                           eventName: row.string(4) ?? "", expression: row.string(5), correlationID: row.string(6),
                           triggerEventText: row.string(7) ?? "{}", expiresAt: row.int64(8))
    }

    // MARK: Retention

    /// Deletes finished runs that ended before `cutoff` (their steps and links
    /// cascade), events received before it that no remaining run refers to,
    /// and expired flow-control state. Running runs and their events are kept.
    func prune(before cutoff: Int64, now: Int64) throws -> (runs: Int, events: Int) {
        let runs = try db.run("DELETE FROM runs WHERE status != 'Running' AND ended_at IS NOT NULL AND ended_at < ?", [.integer(cutoff)])
        let events = try db.run("""
            DELETE FROM events WHERE received_at < ?
              AND NOT EXISTS (SELECT 1 FROM run_events e WHERE e.event_id = events.id)
              AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.event_id = events.id)
            """, [.integer(cutoff)])
        try db.run("DELETE FROM idempotency_keys WHERE expires_at < ?", [.integer(now)])
        try db.run("DELETE FROM rate_cells WHERE tat < ?", [.integer(now)])
        return (runs, events)
    }

    // MARK: Flow control

    /// Claims an idempotency key; false when an unexpired claim already exists.
    func claimIdempotencyKey(functionID: String, key: String, runID: String, now: Int64, ttl: Int64) throws -> Bool {
        if let row = try db.queryOne("SELECT expires_at FROM idempotency_keys WHERE function_id = ? AND key = ?",
                                     [.text(functionID), .text(key)]), (row.int64(0) ?? 0) > now {
            return false
        }
        try db.run("INSERT OR REPLACE INTO idempotency_keys (function_id, key, run_id, expires_at) VALUES (?, ?, ?, ?)",
                   [.text(functionID), .text(key), .text(runID), .integer(now + ttl)])
        return true
    }

    func rateCell(functionID: String, kind: String, key: String) throws -> Int64? {
        try db.queryOne("SELECT tat FROM rate_cells WHERE function_id = ? AND kind = ? AND key = ?",
                        [.text(functionID), .text(kind), .text(key)])?.int64(0)
    }

    func setRateCell(functionID: String, kind: String, key: String, tat: Int64) throws {
        try db.run("INSERT OR REPLACE INTO rate_cells (function_id, kind, key, tat) VALUES (?, ?, ?, ?)",
                   [.text(functionID), .text(kind), .text(key), .integer(tat)])
    }

    func debounce(functionID: String, key: String) throws -> (event: String, firstAt: Int64, dueAt: Int64)? {
        try db.queryOne("SELECT event, first_at, due_at FROM debounces WHERE function_id = ? AND key = ?",
                        [.text(functionID), .text(key)]).map { ($0.string(0) ?? "{}", $0.int64(1) ?? 0, $0.int64(2) ?? 0) }
    }

    func upsertDebounce(functionID: String, key: String, event: String, firstAt: Int64, dueAt: Int64) throws {
        try db.run("INSERT OR REPLACE INTO debounces (function_id, key, event, first_at, due_at) VALUES (?, ?, ?, ?, ?)",
                   [.text(functionID), .text(key), .text(event), .integer(firstAt), .integer(dueAt)])
    }

    func deleteDebounce(functionID: String, key: String) throws {
        try db.run("DELETE FROM debounces WHERE function_id = ? AND key = ?", [.text(functionID), .text(key)])
    }
}
