import Foundation
import Subprocess

/// `GitRepository` over the git command line. Every argument that carries
/// text from outside follows an option that takes it, or `--`, so nothing can
/// turn into an option (callers check ids and branch names beforehand).
public struct GitCLIRepository: GitRepository {
    public let directory: String
    let git: [String]
    let runner: CommandRunner
    let timeout: Double
    /// Who commits: nil keeps the host's git configuration (sync commits as
    /// the person), the agent loop passes its own.
    let committer: GitCommitter?

    public init(directory: String, git: [String] = ["git"], runner: CommandRunner, timeout: Double = 120,
                committer: GitCommitter? = nil) {
        self.directory = directory
        self.git = git
        self.runner = runner
        self.timeout = timeout
        self.committer = committer
    }

    func command(_ args: [String]) -> Command {
        // Never prompt (a launchd worker has no terminal) and never page.
        var environment = ["GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "LC_ALL": "C"]
        if let committer { environment.merge(committer.environment) { $1 } }
        return Command(git + args, workingDirectory: directory, environment: environment, timeout: timeout)
    }

    /// Runs git in `directory`; with `check`, a non-zero exit throws.
    @discardableResult
    func run(_ args: [String], check: Bool = true) async throws -> CommandResult {
        check ? try await runner.runChecked(command(args)) : try await runner.run(command(args))
    }

    /// Standard output of a checked run, trimmed.
    func text(_ args: [String]) async throws -> String {
        try await run(args).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func changes(_ pathspecs: [String]) async throws -> [SyncedFile] {
        let result = try await runner.runChecked(command(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--"] + pathspecs))
        // -z entries: "XY path\0" (renames add a second "\0orig"; we only need the new path).
        var changes = [SyncedFile]()
        var skipNext = false
        for entry in result.stdout.split(separator: 0) {
            if skipNext { skipNext = false; continue }
            let text = String(decoding: entry, as: UTF8.self)
            guard text.count > 3 else { continue }
            let code = String(text.prefix(2))
            if code.first == "R" || code.first == "C" { skipNext = true }
            let status: SyncedFile.Status = code == "??" || code.contains("A") ? .new : code.contains("D") ? .deleted : .updated
            changes.append(SyncedFile(file: String(text.dropFirst(3)), status: status))
        }
        return changes
    }

    public func currentBranch() async throws -> String? {
        let result = try await runner.run(command(["symbolic-ref", "--quiet", "--short", "HEAD"]))
        guard result.exitCode == 0 else { return nil }
        return result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func fetch(remote: String, branch: String) async throws {
        try await runner.runChecked(command(["fetch", "--quiet", "--no-tags", "--", remote,
                                             "+refs/heads/\(branch):refs/remotes/\(remote)/\(branch)"]))
    }

    public func compare(remote: String, branch: String) async throws -> BranchComparison? {
        let ref = "refs/remotes/\(remote)/\(branch)"
        guard try await runner.run(command(["rev-parse", "--verify", "--quiet", ref])).exitCode == 0 else { return nil }
        let behind = try await runner.runChecked(command(["rev-list", "--count", "HEAD..\(ref)", "--"])).stdoutText
        // Records end with 0x1E, id and message are split by 0x1F.
        let log = try await runner.runChecked(command(["log", "--format=%H%x1f%B%x1e", "\(ref)..HEAD", "--"])).stdoutText
        let ahead = log.split(separator: "\u{1E}").compactMap { record -> GitCommitSummary? in
            let parts = record.split(separator: "\u{1F}", maxSplits: 1, omittingEmptySubsequences: false)
            let id = parts[0].trimmingCharacters(in: .whitespacesAndNewlines)
            guard !id.isEmpty else { return nil }
            return GitCommitSummary(id: id, message: parts.count > 1 ? String(parts[1]) : "")
        }
        return BranchComparison(ahead: ahead, behind: Int(behind.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0)
    }

    public func commit(_ pathspecs: [String], message: String) async throws -> String? {
        // No pathspec would mean "everything" to git; that is `commitAll`'s job.
        guard !pathspecs.isEmpty, try await !changes(pathspecs).isEmpty else { return nil }
        try await runner.runChecked(command(["add", "--all", "--"] + pathspecs))
        // `--only` semantics (paths given): commits these paths and nothing else
        // that happens to be staged in the live working tree.
        let staged = try await runner.run(command(["diff", "--cached", "--quiet", "--"] + pathspecs))
        guard staged.exitCode == 1 else { return nil }
        try await runner.runChecked(command(["commit", "--no-verify", "-m", message, "--"] + pathspecs))
        return try await head()
    }

    public func push(remote: String, branch: String) async throws {
        // An explicit refspec naming the local branch: pushing `HEAD` would publish
        // whatever happens to be checked out (a feature branch) as `branch`.
        try await run(["push", "--porcelain", "--", remote, "refs/heads/\(branch):refs/heads/\(branch)"])
    }

    public func head() async throws -> String {
        try await text(["rev-parse", "HEAD"])
    }
}
