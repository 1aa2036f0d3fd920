import Foundation
import Subprocess

extension GitCLIRepository {
    /// Merges `branch` into `target` without touching any working tree: the
    /// merged tree is computed by `git merge-tree`, committed with both
    /// parents and the target ref moved only if it still points where it did.
    /// A conflict changes nothing (the merge is abandoned, no ref moves) and
    /// is reported. A target checked out in some working tree is refused:
    /// moving it would change files under a person's feet.
    public func merge(branch: String, into target: String, message: String) async throws -> GitMergeResult {
        guard try await branchExists(target) else {
            return GitMergeResult(merged: false, reason: "target_missing", detail: "no branch \(target)")
        }
        let worktrees = try await run(["worktree", "list", "--porcelain"]).stdoutText
        if worktrees.split(separator: "\n").contains(where: { $0 == "branch refs/heads/\(target)" }) {
            return GitMergeResult(merged: false, reason: "target_checked_out",
                                  detail: "\(target) is checked out in a working tree; merge \(branch) by hand")
        }
        let old = try await text(["rev-parse", "refs/heads/" + target])
        let tip = try await text(["rev-parse", "refs/heads/" + branch])
        if try await text(["rev-list", "--count", old + ".." + tip]) == "0" { return GitMergeResult(merged: false, reason: "no_new_commits") }
        let newCommit: String
        if try await text(["rev-list", "--count", tip + ".." + old]) == "0" {
            newCommit = tip  // fast-forward
        } else {
            let tree = try await run(["merge-tree", "--write-tree", "--messages", old, tip], check: false)
            guard tree.exitCode == 0 else {
                return GitMergeResult(merged: false, reason: "merge_conflict", detail: String(tree.stdoutText.prefix(2000)))
            }
            let treeId = String(tree.stdoutText.split(separator: "\n").first ?? "")
            newCommit = try await text(["commit-tree", treeId, "-p", old, "-p", tip, "-m", message])
        }
        try await run(["update-ref", "-m", message, "refs/heads/" + target, newCommit, old])
        return GitMergeResult(merged: true, reason: "merged", commit: newCommit)
    }
}
