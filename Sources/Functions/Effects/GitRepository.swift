/// The git operations of the functions (content and ADR sync, the agent
/// loop), each on the repository or worktree holding `directory` and each
/// safe to repeat: a retried step must never make a second commit nor fail
/// because the first attempt already committed. The one real implementation
/// is `GitCLIRepository`.
public protocol GitRepository: Sendable {
    /// Where commands run; relative paths in arguments and results are relative to it.
    var directory: String { get }
    /// Uncommitted changes under `pathspecs`, paths relative to the root:
    /// untracked or added files are `new`, removed ones `deleted`, the rest `updated`.
    func changes(_ pathspecs: [String]) async throws -> [SyncedFile]
    /// Commits exactly the changes under `pathspecs` (other staged work is left
    /// alone). Returns the new commit id, or nil when there was nothing to commit
    /// (no pathspecs commit nothing).
    func commit(_ pathspecs: [String], message: String) async throws -> String?
    /// The branch checked out, nil when `HEAD` is detached.
    func currentBranch() async throws -> String?
    /// Brings `refs/remotes/<remote>/<branch>` up to date with the remote's `branch`.
    func fetch(remote: String, branch: String) async throws
    /// How `HEAD` stands against `refs/remotes/<remote>/<branch>` as last
    /// fetched or pushed; nil when that remote-tracking branch does not exist.
    func compare(remote: String, branch: String) async throws -> BranchComparison?
    /// Pushes the local branch `branch` (never whatever `HEAD` is) to the
    /// remote's branch of the same name; a no-op when it is already up to date.
    func push(remote: String, branch: String) async throws
    /// The current commit id.
    func head() async throws -> String

    // The agent loop: a worktree and branch per loop, commits per attempt, a merge.

    /// The top of the repository (or worktree) holding `directory`.
    func root() async throws -> String
    /// Adds a worktree at `path` on `branch`, created from `HEAD` unless it
    /// exists; an existing worktree at `path` (a retried step) is kept.
    func addWorktree(path: String, branch: String) async throws
    /// Removes the worktree at `path` (changes in it are lost) and prunes stale entries.
    func removeWorktree(path: String) async throws
    /// Files neither tracked nor ignored under `directory`, relative to it.
    func untrackedFiles() async throws -> [String]
    /// Commits every change in the working tree; nil when there was nothing to commit.
    func commitAll(message: String) async throws -> String?
    /// The newest commit on any branch whose message contains `text` literally
    /// (a fixed-string match: ids in brackets are not patterns).
    func findCommit(containing text: String) async throws -> String?
    /// The diff of `HEAD` since it left `base` (empty when git cannot tell).
    func diff(since base: String) async throws -> String
    func branchExists(_ branch: String) async throws -> Bool
    /// Deletes the local `branch`, merged or not; a missing one is no error.
    func deleteBranch(_ branch: String) async throws
    /// Merges `branch` into `target` without touching any working tree; a
    /// conflict changes nothing and is reported (see `GitCLIRepository`'s merge).
    func merge(branch: String, into target: String, message: String) async throws -> GitMergeResult
}

/// Where a local branch stands against its remote-tracking branch.
public struct BranchComparison: Sendable, Equatable {
    /// Local commits the remote lacks, newest first.
    public var ahead: [GitCommitSummary]
    /// How many remote commits the local branch lacks.
    public var behind: Int

    public init(ahead: [GitCommitSummary], behind: Int) {
        self.ahead = ahead
        self.behind = behind
    }
}

public struct GitCommitSummary: Sendable, Equatable {
    public var id: String
    /// The full message (subject, body and trailers).
    public var message: String

    public init(id: String, message: String) {
        self.id = id
        self.message = message
    }

    public var subject: String { String(message.prefix { $0 != "\n" }) }
}
