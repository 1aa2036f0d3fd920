import Foundation
import Subprocess

/// The git work of one loop, over the git command line: a worktree and
/// branch of its own, one commit per story attempt, and a merge into the
/// target branch that never needs a checkout. Every argument that carries
/// text from outside follows an option that takes it, or `--`, so nothing
/// can turn into an option; ids are checked by `LoopIdentifier` beforehand.
public struct LoopGit: Sendable {
    let git: [String]
    let runner: any CommandRunner
    let timeout: Double

    public init(git: [String], runner: any CommandRunner, timeout: Double = 120) {
        self.git = git
        self.runner = runner
        self.timeout = timeout
    }

    /// Commits made by the loop carry this identity, whatever the host's config says.
    static let identity = ["GIT_AUTHOR_NAME": "agent-loop", "GIT_AUTHOR_EMAIL": "agent-loop@localhost",
                           "GIT_COMMITTER_NAME": "agent-loop", "GIT_COMMITTER_EMAIL": "agent-loop@localhost"]

    @discardableResult
    func run(_ args: [String], in dir: String, check: Bool = true) async throws -> CommandResult {
        var env = ["GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "LC_ALL": "C"]
        env.merge(Self.identity) { $1 }
        let command = Command(git + args, workingDirectory: dir, environment: env, timeout: timeout)
        return check ? try await runner.runChecked(command) : try await runner.run(command)
    }

    private func text(_ args: [String], in dir: String) async throws -> String {
        try await run(args, in: dir).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The top of the repository holding `directory`.
    public func repositoryRoot(of directory: String) async throws -> String {
        try await text(["rev-parse", "--show-toplevel"], in: directory)
    }

    /// Adds the loop's worktree on a new branch from the repository's HEAD;
    /// an existing worktree at `path` (a retried step) is kept.
    public func addWorktree(repo: String, path: String, branch: String) async throws {
        if FileManager.default.fileExists(atPath: path + "/.git") { return }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let exists = try await run(["rev-parse", "--verify", "--quiet", "refs/heads/" + branch], in: repo, check: false).exitCode == 0
        if exists {
            try await run(["worktree", "add", "--", path, branch], in: repo)
        } else {
            try await run(["worktree", "add", "-b", branch, "--", path, "HEAD"], in: repo)
        }
    }

    public func removeWorktree(repo: String, path: String) async throws {
        if FileManager.default.fileExists(atPath: path) {
            try await run(["worktree", "remove", "--force", "--", path], in: repo)
        }
        try await run(["worktree", "prune"], in: repo)
    }

    public func head(_ dir: String) async throws -> String {
        try await text(["rev-parse", "HEAD"], in: dir)
    }

    /// Files not tracked and not ignored, relative to `dir`.
    public func untrackedFiles(_ dir: String) async throws -> [String] {
        try await run(["ls-files", "--others", "--exclude-standard", "-z"], in: dir).stdout
            .split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Commits everything changed in the worktree with `message`; nil when
    /// there was nothing to commit.
    public func commitAll(_ dir: String, message: String) async throws -> String? {
        try await run(["add", "--all"], in: dir)
        guard try await run(["diff", "--cached", "--quiet"], in: dir, check: false).exitCode == 1 else { return nil }
        try await run(["commit", "--no-verify", "--quiet", "-m", message], in: dir)
        return try await head(dir)
    }

    /// Commits exactly `paths` (relative to `dir`); nil when they hold no change.
    public func commit(_ paths: [String], in dir: String, message: String) async throws -> String? {
        guard !paths.isEmpty else { return nil }
        try await run(["add", "--"] + paths, in: dir)
        guard try await run(["diff", "--cached", "--quiet"], in: dir, check: false).exitCode == 1 else { return nil }
        try await run(["commit", "--no-verify", "--quiet", "-m", message, "--"] + paths, in: dir)
        return try await head(dir)
    }

    /// The newest commit on any branch whose message contains `text`
    /// literally (a fixed-string match: ids in brackets are not patterns).
    public func findCommit(containing text: String, in dir: String) async throws -> String? {
        let out = try await self.text(["log", "--all", "--fixed-strings", "--grep=" + text, "--format=%H"], in: dir)
        return out.split(separator: "\n").first.map(String.init)
    }

    /// The diff of the loop's branch since it left `base`, for reviewers.
    public func diff(_ dir: String, base: String) async throws -> String {
        let r = try await run(["diff", base + "...HEAD"], in: dir, check: false)
        return r.succeeded ? r.stdoutText : ""
    }

    public func branchExists(_ branch: String, repo: String) async throws -> Bool {
        try await run(["rev-parse", "--verify", "--quiet", "refs/heads/" + branch], in: repo, check: false).exitCode == 0
    }

    public func deleteBranch(_ branch: String, repo: String) async throws {
        try await run(["branch", "-D", "--", branch], in: repo, check: false)
    }

    public func push(repo: String, remote: String, branch: String) async throws {
        try await run(["push", "--porcelain", "--", remote, "refs/heads/\(branch):refs/heads/\(branch)"], in: repo)
    }
}
