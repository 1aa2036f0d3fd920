/// The git operations the sync functions need, each safe to repeat: a retried
/// step must never make a second commit nor fail because the first attempt
/// already committed. The one real implementation is `GitCLIRepository`.
public protocol GitRepository: Sendable {
    var directory: String { get }
    /// Uncommitted changes under `pathspecs`, paths relative to the root:
    /// untracked or added files are `new`, removed ones `deleted`, the rest `updated`.
    func changes(_ pathspecs: [String]) async throws -> [SyncedFile]
    /// Commits exactly the changes under `pathspecs` (other staged work is left
    /// alone). Returns the new commit id, or nil when there was nothing to commit.
    func commit(_ pathspecs: [String], message: String) async throws -> String?
    /// Pushes `branch` to `remote`; a no-op when the remote is already up to date.
    func push(remote: String, branch: String) async throws
    /// Commits on `HEAD` that `remote`/`branch` (as last fetched or pushed) lacks;
    /// nil when the remote-tracking branch does not exist yet.
    func unpushedCommits(remote: String, branch: String) async throws -> Int?
    /// The current commit id.
    func head() async throws -> String
}
