import Foundation
import InngestProtocol

/// The shared body of `system/adr-sync` and `system/content-sync`: mirror the
/// configured vault directories into the website repository, then commit and
/// push exactly those directories.
///
/// Idempotent by construction: the commit step asks git what changed (not
/// the mirror step's memo), commits only the content paths (anything else
/// staged in the live working tree is left alone), and pushes whenever the
/// branch is ahead of its remote, so a retry after a failed push pushes the
/// earlier commit instead of committing again.
///
/// It publishes only its own work: every commit it makes carries a
/// `Joelclaw-Sync: <kind>` trailer, and it stops (committing and pushing
/// nothing) when the checkout is on another branch, when the branch lacks
/// commits the remote has, or when it holds local commits without that
/// trailer. The push names the configured branch explicitly on both sides.
struct ContentPublisher: Sendable {
    /// The trailer key that marks a commit as made by a sync function.
    static let trailerKey = "Joelclaw-Sync"

    let services: FunctionServices
    let directories: [ContentDirectory]
    let deleteMissing: Bool
    /// The trailer value: `content` or `adr`.
    let kind: String

    var config: ContentSyncConfig { services.config.contentSync }
    var pathspecs: [String] { directories.map(\.destination) }

    func mirror() throws -> [ContentDirectoryReport] {
        try directories.map { dir in
            let result = try ContentMirror.sync(source: dir.source, destination: config.repoDir + "/" + dir.destination,
                                                skipFiles: dir.skipFiles, deleteMissing: deleteMissing)
            return ContentDirectoryReport(name: dir.name, sourceCount: result.sourceCount, synced: result.synced)
        }
    }

    /// Refuses (non-retriably: a person has to look) when the checkout is not on
    /// the configured branch, so nothing is copied into, committed on or pushed
    /// from someone's feature branch.
    func requireConfiguredBranch() async throws {
        let branch = try await services.git(config.repoDir).currentBranch()
        guard branch == config.branch else {
            throw NonRetriableError(ContentSyncError.wrongBranch(repository: config.repoDir, expected: config.branch,
                                                                 actual: branch).description)
        }
    }

    /// Commits with `message(changes)` (plus the trailer) when git sees changes,
    /// then pushes if ahead. Changes are listed as copies in name order, then deletions.
    func commitAndPush(message: ([ContentDirectoryReport]) -> String) async throws -> PublishOutcome {
        try await requireConfiguredBranch()
        let git = services.git(config.repoDir)
        try await git.fetch(remote: config.remote, branch: config.branch)
        guard let state = try await git.compare(remote: config.remote, branch: config.branch) else {
            throw NonRetriableError(ContentSyncError.noRemoteBranch(remote: config.remote, branch: config.branch).description)
        }
        guard state.behind == 0 else {
            throw NonRetriableError(ContentSyncError.behindRemote(remote: config.remote, branch: config.branch, commits: state.behind).description)
        }
        let foreign = state.ahead.filter { !Self.isSyncCommit($0.message) }
        guard foreign.isEmpty else {
            throw NonRetriableError(ContentSyncError.foreignCommits(branch: config.branch,
                                                                    commits: foreign.map { "\($0.id.prefix(12)) \($0.subject)" }).description)
        }

        let changes = try await git.changes(pathspecs)
        let reports = directories.map { dir in
            ContentDirectoryReport(name: dir.name, sourceCount: 0, synced: changes.compactMap { change in
                guard change.file.hasPrefix(dir.destination + "/") else { return nil }
                return SyncedFile(file: String(change.file.dropFirst(dir.destination.count + 1)), status: change.status)
            }.sorted { ($0.status == .deleted ? 1 : 0, $0.file) < ($1.status == .deleted ? 1 : 0, $1.file) })
        }
        let unsafe = changes.map(\.file).filter { !$0.hasSuffix(".md") }
        guard unsafe.isEmpty else { throw NonRetriableError(ContentSyncError.unsafePaths(unsafe).description) }
        let commit = changes.isEmpty ? nil : try await git.commit(pathspecs, message: Self.withTrailer(message(reports), kind: kind))
        var pushed = false
        if commit != nil || !state.ahead.isEmpty {
            try await git.push(remote: config.remote, branch: config.branch)
            pushed = true
        }
        return PublishOutcome(commit: commit, pushed: pushed, files: changes.count)
    }

    /// `message` with a final trailer paragraph naming the sync that made it.
    static func withTrailer(_ message: String, kind: String) -> String {
        var body = message
        while body.hasSuffix("\n") { body.removeLast() }
        return body + "\n\n\(trailerKey): \(kind)\n"
    }

    /// Whether a commit message ends with a sync trailer (either kind: both
    /// functions share the repository, so one may push what the other committed).
    static func isSyncCommit(_ message: String) -> Bool {
        let paragraphs = message.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: "\n\n")
        guard paragraphs.count > 1, let last = paragraphs.last else { return false }
        return last.split(separator: "\n").contains { $0.hasPrefix(trailerKey + ": ") }
    }
}

public struct PublishOutcome: Codable, Sendable, Equatable {
    /// The new commit, nil when there was nothing to commit.
    public var commit: String?
    public var pushed: Bool
    public var files: Int
}
