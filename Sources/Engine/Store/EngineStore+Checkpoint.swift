import SQLite

/// What async checkpoints (`AsyncCheckpoints`) read and change in the queue:
/// the in-flight call they name and its attempt count.
extension EngineStore {
    /// The attempt number stored for queue item `id`, nil when it is gone.
    func queueItemAttempt(_ id: Int64) throws -> Int? {
        try db.queryOne("SELECT attempt FROM queue WHERE id = ?", [.integer(id)])?.int(0)
    }

    /// True when `id` is a queued call of `runID` (a call still in flight or still to be made).
    func isCall(_ id: Int64, ofRun runID: String) throws -> Bool {
        try db.queryOne("SELECT 1 FROM queue WHERE id = ? AND kind = 'call' AND run_id = ?", [.integer(id), .text(runID)]) != nil
    }

    /// Starts a call's attempts again from 0.
    func resetAttempts(ofQueueItem id: Int64) throws {
        try db.run("UPDATE queue SET attempt = 0 WHERE id = ?", [.integer(id)])
    }
}
