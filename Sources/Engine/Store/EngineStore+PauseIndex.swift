import JSON
import SQLite

/// Finding the pauses an incoming event may resume through their lookup key
/// (`PauseIndex`), so the cost of an event does not grow with the number of
/// runs waiting for other values.
extension EngineStore {
    /// The pauses waiting for `event` (named `name`) that it may resume: every
    /// unindexed pause for the name, plus the indexed ones whose value the event
    /// carries at their path. In creation order.
    func candidatePauses(for event: JSON, name: String) throws -> [PauseRecord] {
        let columns = "id, run_id, kind, step_id, event_name, expression, correlation_id, trigger_event, expires_at, created_at"
        var found: [(createdAt: Int64, pause: PauseRecord)] = []
        func collect(_ rows: [SQLiteRow]) {
            for row in rows { if let pause = Self.pause(row) { found.append((row.int64(9) ?? 0, pause)) } }
        }
        collect(try db.query("SELECT \(columns) FROM pauses WHERE event_name = ? AND match_path IS NULL", [.text(name)]))
        // Each distinct path in turn (a skip over the index; there are few), then the pauses for the event's value there.
        var previous = ""
        while let path = try db.queryOne("""
            SELECT match_path FROM pauses WHERE event_name = ? AND match_path > ? ORDER BY match_path LIMIT 1
            """, [.text(name), .text(previous)])?.string(0) {
            previous = path
            guard let value = PauseIndex.value(of: event, atPath: path) else { continue }
            collect(try db.query("SELECT \(columns) FROM pauses WHERE event_name = ? AND match_path = ? AND match_value = ?",
                                 [.text(name), .text(path), .text(value)]))
        }
        if found.count > 1 { found.sort { ($0.createdAt, $0.pause.id) < ($1.createdAt, $1.pause.id) } }
        return found.map(\.pause)
    }
}
