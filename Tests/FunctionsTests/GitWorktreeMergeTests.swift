import Foundation
import Subprocess
import Testing
@testable import Functions
import TestSupport

/// The agent loop's side of `GitRepository`, on a real repository in a
/// temporary folder: worktrees, commits as the loop, fixed-string lookup,
/// and merges that move the target only when they succeed.
extension ExternalTools {
    @Suite struct GitWorktreeMergeTests {
        @Test func aLoopsWorktreeCommitsAsTheLoopAndIsFoundByItsMarker() async throws {
            let fx = try await GitFixture()
            let repo = GitCLIRepository(directory: fx.clone, runner: fx.runner, committer: .agentLoop)
            #expect(try await repo.root() == URL(fileURLWithPath: fx.clone).resolvingSymlinksInPath().path)
            let path = fx.dir.file("worktrees/loop-1")
            try await repo.addWorktree(path: path, branch: "loop/1")
            try await repo.addWorktree(path: path, branch: "loop/1")  // a retried step keeps it
            #expect(try await repo.branchExists("loop/1"))
            let worktree = GitCLIRepository(directory: path, runner: fx.runner, committer: .agentLoop)
            #expect(try await worktree.commitAll(message: "nothing yet") == nil)
            try "print(1)\n".write(toFile: path + "/calc.py", atomically: true, encoding: .utf8)
            #expect(try await worktree.untrackedFiles() == ["calc.py"])
            #expect(try await worktree.commit([], message: "no paths commit nothing") == nil)
            let sha = try #require(try await worktree.commitAll(message: "feat: [S-1] attempt 1"))
            #expect(try await worktree.findCommit(containing: "[S-1] attempt 1") == sha)
            #expect(try await worktree.findCommit(containing: "[S-.] attempt") == nil, "a fixed string, not a pattern")
            #expect(try await fx.git(["log", "-1", "--format=%an <%ae> %cn", sha], in: path) == "agent-loop <agent-loop@localhost> agent-loop\n")
            #expect(try await worktree.diff(since: "main").contains("+print(1)"))
            try await repo.removeWorktree(path: path)
            #expect(!FileManager.default.fileExists(atPath: path))
            try await repo.deleteBranch("loop/1")
            #expect(try await !repo.branchExists("loop/1"))
            try await repo.deleteBranch("loop/1")  // already gone: no error
        }

        @Test func mergeFastForwardsMergesAndChangesNothingOnConflict() async throws {
            let fx = try await GitFixture()
            let repo = GitCLIRepository(directory: fx.clone, runner: fx.runner, committer: .agentLoop)
            try await fx.git(["branch", "release"], in: fx.clone)
            let featurePath = fx.dir.file("wt/feature")
            try await repo.addWorktree(path: featurePath, branch: "feature")
            let feature = GitCLIRepository(directory: featurePath, runner: fx.runner, committer: .agentLoop)

            #expect(try await repo.merge(branch: "feature", into: "main", message: "m").reason == "target_checked_out")
            #expect(try await repo.merge(branch: "feature", into: "nope", message: "m").reason == "target_missing")
            #expect(try await repo.merge(branch: "feature", into: "release", message: "m").reason == "no_new_commits")

            let tip = try #require(try await write("b.txt", "b\n", in: feature))
            let fastForward = try await repo.merge(branch: "feature", into: "release", message: "merge 1")
            #expect(fastForward == GitMergeResult(merged: true, reason: "merged", commit: tip))

            _ = try await onRelease(repo, fx) { try await write("a.txt", "a\n", in: $0) }
            _ = try await write("c.txt", "c\n", in: feature)
            let merged = try await repo.merge(branch: "feature", into: "release", message: "merge 2")
            #expect(merged.merged)
            #expect(try await fx.git(["rev-list", "--parents", "-n", "1", "release"], in: fx.clone).split(separator: " ").count == 3)
            #expect(try await fx.git(["show", "release:a.txt"], in: fx.clone) == "a\n")

            _ = try await write("README.md", "# feature\n", in: feature)
            _ = try await onRelease(repo, fx) { try await write("README.md", "# release\n", in: $0) }
            let before = try await fx.git(["rev-parse", "release"], in: fx.clone)
            let conflict = try await repo.merge(branch: "feature", into: "release", message: "merge 3")
            #expect(!conflict.merged && conflict.reason == "merge_conflict")
            #expect(conflict.detail?.contains("README.md") == true)
            #expect(try await fx.git(["rev-parse", "release"], in: fx.clone) == before)
            #expect(try await fx.git(["status", "--porcelain"], in: fx.clone).isEmpty)
        }

        /// Writes `file` in the worktree and commits everything.
        private func write(_ file: String, _ text: String, in worktree: GitCLIRepository) async throws -> String? {
            try text.write(toFile: worktree.directory + "/" + file, atomically: true, encoding: .utf8)
            return try await worktree.commitAll(message: "change \(file)")
        }

        /// Runs `body` in a short-lived worktree on `release`, removed afterwards so `release` is not checked out.
        private func onRelease(_ repo: GitCLIRepository, _ fx: GitFixture,
                               _ body: (GitCLIRepository) async throws -> String?) async throws -> String? {
            let path = fx.dir.file("wt/release")
            try await repo.addWorktree(path: path, branch: "release")
            let result = try await body(GitCLIRepository(directory: path, runner: fx.runner, committer: .agentLoop))
            try await repo.removeWorktree(path: path)
            return result
        }
    }
}
