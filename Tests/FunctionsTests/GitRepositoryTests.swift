import Foundation
import Subprocess
import Testing
@testable import Functions
import TestSupport

/// A working clone of a bare repository on disk, both throwaway.
struct GitFixture {
    let dir: TemporaryDirectory
    let remote: String
    let clone: String
    let runner = ProcessCommandRunner()

    init() async throws {
        dir = try TemporaryDirectory("git-fixture")
        remote = dir.file("remote.git")
        clone = dir.file("clone")
        try await git(["init", "-q", "--bare", "-b", "main", remote], in: dir.path)
        try await git(["clone", "-q", remote, clone], in: dir.path)
        try await git(["config", "user.email", "worker@example.invalid"], in: clone)
        try await git(["config", "user.name", "worker"], in: clone)
        try await git(["checkout", "-q", "-b", "main"], in: clone)
        try "# site\n".write(toFile: clone + "/README.md", atomically: true, encoding: .utf8)
        try await git(["add", "README.md"], in: clone)
        try await git(["commit", "-q", "-m", "init"], in: clone)
        try await git(["push", "-q", "origin", "main"], in: clone)
    }

    @discardableResult
    func git(_ args: [String], in directory: String) async throws -> String {
        try await runner.runChecked(Command(["git"] + args, workingDirectory: directory,
                                            environment: ["GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"])).stdoutText
    }

    func remoteLog() async throws -> [String] {
        try await git(["log", "--format=%s", "main"], in: remote).split(separator: "\n").map(String.init)
    }
}

extension ExternalTools {
    @Suite struct GitRepositoryTests {
        @Test func commitsOnlyItsPathsOnceAndPushesIdempotently() async throws {
            let fx = try await GitFixture()
            let repo = GitCLIRepository(directory: fx.clone, runner: fx.runner)
            try FileManager.default.createDirectory(atPath: fx.clone + "/content", withIntermediateDirectories: true)
            try "a\n".write(toFile: fx.clone + "/content/a.md", atomically: true, encoding: .utf8)
            try "unrelated\n".write(toFile: fx.clone + "/other.txt", atomically: true, encoding: .utf8)
            try await fx.git(["add", "other.txt"], in: fx.clone)  // someone's manual staging

            #expect(try await repo.changes(["content"]) == [SyncedFile(file: "content/a.md", status: .new)])
            let commit = try await repo.commit(["content"], message: "sync: vault content (1 file)")
            #expect(commit != nil)
            #expect(try await repo.commit(["content"], message: "again") == nil)
            let ahead = try #require(try await repo.compare(remote: "origin", branch: "main"))
            #expect(ahead.ahead.map(\.subject) == ["sync: vault content (1 file)"] && ahead.behind == 0)
            try await repo.push(remote: "origin", branch: "main")
            try await repo.push(remote: "origin", branch: "main")
            #expect(try await repo.compare(remote: "origin", branch: "main") == BranchComparison(ahead: [], behind: 0))
            #expect(try await fx.remoteLog() == ["sync: vault content (1 file)", "init"])
            // The manual staging is untouched and uncommitted.
            #expect(try await fx.git(["diff", "--cached", "--name-only"], in: fx.clone) == "other.txt\n")
        }

        /// The push names the local branch, not `HEAD`: from a feature checkout it
        /// publishes `main` as it is, never the feature's commits as `main`.
        @Test func pushSendsTheNamedBranchNotTheCheckout() async throws {
            let fx = try await GitFixture()
            let repo = GitCLIRepository(directory: fx.clone, runner: fx.runner)
            #expect(try await repo.currentBranch() == "main")
            try await fx.git(["checkout", "-q", "-b", "feature"], in: fx.clone)
            try await fx.git(["commit", "-q", "--allow-empty", "-m", "feature work"], in: fx.clone)
            #expect(try await repo.currentBranch() == "feature")
            try await repo.push(remote: "origin", branch: "main")
            #expect(try await fx.remoteLog() == ["init"])

            try await fx.git(["push", "-q", "origin", "feature:main"], in: fx.clone)  // someone else moves the remote on
            try await repo.fetch(remote: "origin", branch: "main")
            try await fx.git(["checkout", "-q", "main"], in: fx.clone)
            #expect(try await repo.compare(remote: "origin", branch: "main") == BranchComparison(ahead: [], behind: 1))
        }

        @Test func trailerMarksSyncCommitsOnly() {
            let marked = ContentPublisher.withTrailer("sync: update ADRs from Vault\n\n", kind: "adr")
            #expect(marked == "sync: update ADRs from Vault\n\nJoelclaw-Sync: adr\n")
            #expect(ContentPublisher.isSyncCommit(marked))
            #expect(!ContentPublisher.isSyncCommit("hand-made\n\nmentions Joelclaw-Sync: adr in the body\n\nSigned-off-by: x"))
            #expect(!ContentPublisher.isSyncCommit("Joelclaw-Sync: content"), "a subject line is no trailer")
        }

        @Test func failingPushReportsGitsError() async throws {
            let fx = try await GitFixture()
            let repo = GitCLIRepository(directory: fx.clone, runner: fx.runner)
            await #expect {
                try await repo.push(remote: "nowhere", branch: "main")
            } throws: { error in
                guard case CommandError.failed(_, let code, let stderr) = error else { return false }
                return code != 0 && stderr.contains("nowhere")
            }
        }
    }
}
