import Foundation
import InngestProtocol

/// The shared body of `system/adr-sync` and `system/content-sync`: mirror the
/// configured vault directories into the website repository, then commit and
/// push exactly those directories.
///
/// Idempotent by construction: the commit step asks git what changed (not
/// the mirror step's memo), commits only the content paths (anything else
/// staged in the live working tree is left alone, where the original reset
/// it), and pushes whenever the branch is ahead of its remote, so a retry
/// after a failed push pushes the earlier commit instead of committing again.
struct ContentPublisher: Sendable {
    let services: FunctionServices
    let directories: [ContentDirectory]
    let deleteMissing: Bool

    var config: ContentSyncConfig { services.config.contentSync }
    var pathspecs: [String] { directories.map(\.destination) }

    func mirror() throws -> [ContentDirectoryReport] {
        try directories.map { dir in
            let result = try ContentMirror.sync(source: dir.source, destination: config.repoDir + "/" + dir.destination,
                                                skipFiles: dir.skipFiles, deleteMissing: deleteMissing)
            return ContentDirectoryReport(name: dir.name, sourceCount: result.sourceCount, synced: result.synced)
        }
    }

    /// Commits with `message(changes)` when git sees changes, then pushes if ahead.
    /// Changes are listed as the original listed them: copies in name order, then deletions.
    func commitAndPush(message: ([ContentDirectoryReport]) -> String) async throws -> PublishOutcome {
        let git = services.git(config.repoDir)
        let changes = try await git.changes(pathspecs)
        let reports = directories.map { dir in
            ContentDirectoryReport(name: dir.name, sourceCount: 0, synced: changes.compactMap { change in
                guard change.file.hasPrefix(dir.destination + "/") else { return nil }
                return SyncedFile(file: String(change.file.dropFirst(dir.destination.count + 1)), status: change.status)
            }.sorted { ($0.status == .deleted ? 1 : 0, $0.file) < ($1.status == .deleted ? 1 : 0, $1.file) })
        }
        let unsafe = changes.map(\.file).filter { !$0.hasSuffix(".md") }
        guard unsafe.isEmpty else { throw NonRetriableError(ContentSyncError.unsafePaths(unsafe).description) }
        let commit = changes.isEmpty ? nil : try await git.commit(pathspecs, message: message(reports))
        let ahead = try await git.unpushedCommits(remote: config.remote, branch: config.branch)
        var pushed = false
        if commit != nil || ahead == nil || ahead! > 0 {
            try await git.push(remote: config.remote, branch: config.branch)
            pushed = true
        }
        return PublishOutcome(commit: commit, pushed: pushed, files: changes.count)
    }
}

public struct PublishOutcome: Codable, Sendable, Equatable {
    /// The new commit, nil when there was nothing to commit.
    public var commit: String?
    public var pushed: Bool
    public var files: Int
}
