/// Work a committed transaction hands to the scheduler.
///
/// Collected while the transaction runs and applied only after it commits,
/// so the in-memory schedule never gets ahead of what is on disk.
struct EngineEffects: Sendable {
    var newItems: [QueueItem] = []
    /// Runs that reached a terminal state (for waiters such as tests and the bench).
    var finishedRuns: [String] = []
}
