import Foundation
import Subprocess

/// The outcome of merging a loop's branch, kept as a step result.
public struct LoopMergeResult: Codable, Sendable, Equatable {
    public var merged: Bool
    /// `merged`, `no_new_commits`, `merge_conflict`, `target_checked_out`, `target_missing`.
    public var reason: String
    public var commit: String?
    public var detail: String?
}

extension LoopGit {
    /// Merges `branch` into `target` without touching any working tree: the
    /// merged tree is computed by `git merge-tree`, committed with both
    /// parents and the target ref moved only if it still points where it did.
    /// A conflict changes nothing and is reported. A target checked out in
    /// some working tree is refused: moving it would change files under a
    /// person's feet.
    public func merge(branch: String, into target: String, repo: String, message: String) async throws -> LoopMergeResult {
        guard try await branchExists(target, repo: repo) else {
            return LoopMergeResult(merged: false, reason: "target_missing", detail: "no branch \(target)")
        }
        let worktrees = try await run(["worktree", "list", "--porcelain"], in: repo).stdoutText
        if worktrees.split(separator: "\n").contains(where: { $0 == "branch refs/heads/\(target)" }) {
            return LoopMergeResult(merged: false, reason: "target_checked_out",
                                   detail: "\(target) is checked out in a working tree; merge \(branch) by hand")
        }
        let old = try await run(["rev-parse", "refs/heads/" + target], in: repo).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        let tip = try await run(["rev-parse", "refs/heads/" + branch], in: repo).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        let ahead = try await run(["rev-list", "--count", old + ".." + tip], in: repo).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        if ahead == "0" { return LoopMergeResult(merged: false, reason: "no_new_commits") }
        let behind = try await run(["rev-list", "--count", tip + ".." + old], in: repo).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        let newCommit: String
        if behind == "0" {
            newCommit = tip  // fast-forward
        } else {
            let tree = try await run(["merge-tree", "--write-tree", "--messages", old, tip], in: repo, check: false)
            guard tree.exitCode == 0 else {
                return LoopMergeResult(merged: false, reason: "merge_conflict", detail: String(tree.stdoutText.prefix(2000)))
            }
            let treeId = String(tree.stdoutText.split(separator: "\n").first ?? "")
            newCommit = try await run(["commit-tree", treeId, "-p", old, "-p", tip, "-m", message], in: repo)
                .stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        try await run(["update-ref", "-m", message, "refs/heads/" + target, newCommit, old], in: repo)
        return LoopMergeResult(merged: true, reason: "merged", commit: newCommit)
    }
}
