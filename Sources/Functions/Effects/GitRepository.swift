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
