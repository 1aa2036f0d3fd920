/// Retention in slices: each call deletes at most `limit` runs and `limit`
/// events, so pruning a backlog (the first pass over a month-old million
/// runs) never holds the write lock for more than a fraction of a second and
/// the engine keeps working between slices.
extension EngineStore {
    func pruneSlice(before cutoff: Int64, limit: Int) throws -> (runs: Int, events: Int) {
        let runs = try db.run("""
            DELETE FROM runs WHERE id IN (
                SELECT id FROM runs WHERE ended_at IS NOT NULL AND ended_at < ? AND status != 'Running' ORDER BY ended_at LIMIT ?)
            """, [.integer(cutoff), .integer(Int64(limit))])
        let events = try db.run("""
            DELETE FROM events WHERE id IN (
                SELECT id FROM events WHERE received_at < ?
                  AND NOT EXISTS (SELECT 1 FROM run_events e WHERE e.event_id = events.id)
                  AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.event_id = events.id)
                ORDER BY received_at LIMIT ?)
            """, [.integer(cutoff), .integer(Int64(limit))])
        return (runs, events)
    }
}
