import Foundation
import Subprocess

/// The agent loop's git work: a worktree and branch of its own, one commit per
/// story attempt, commits found again by a marker in their message (so a
/// retried step does not commit twice), and branch clean-up.
extension GitCLIRepository {
    public func root() async throws -> String {
        try await text(["rev-parse", "--show-toplevel"])
    }

    public func addWorktree(path: String, branch: String) async throws {
        if FileManager.default.fileExists(atPath: path + "/.git") { return }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if try await branchExists(branch) {
            try await run(["worktree", "add", "--", path, branch])
        } else {
            try await run(["worktree", "add", "-b", branch, "--", path, "HEAD"])
        }
    }

    public func removeWorktree(path: String) async throws {
        if FileManager.default.fileExists(atPath: path) {
            try await run(["worktree", "remove", "--force", "--", path])
        }
        try await run(["worktree", "prune"])
    }

    public func untrackedFiles() async throws -> [String] {
        try await run(["ls-files", "--others", "--exclude-standard", "-z"]).stdout
            .split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    public func commitAll(message: String) async throws -> String? {
        try await run(["add", "--all"])
        guard try await run(["diff", "--cached", "--quiet"], check: false).exitCode == 1 else { return nil }
        try await run(["commit", "--no-verify", "--quiet", "-m", message])
        return try await head()
    }

    public func findCommit(containing text: String) async throws -> String? {
        let out = try await self.text(["log", "--all", "--fixed-strings", "--grep=" + text, "--format=%H"])
        return out.split(separator: "\n").first.map(String.init)
    }

    public func diff(since base: String) async throws -> String {
        let result = try await run(["diff", base + "...HEAD"], check: false)
        return result.succeeded ? result.stdoutText : ""
    }

    public func branchExists(_ branch: String) async throws -> Bool {
        try await run(["rev-parse", "--verify", "--quiet", "refs/heads/" + branch], check: false).exitCode == 0
    }

    public func deleteBranch(_ branch: String) async throws {
        try await run(["branch", "-D", "--", branch], check: false)
    }
}
