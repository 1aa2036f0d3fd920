import Foundation
import InngestProtocol
import JSON
import Testing
@testable import Functions

extension ExternalTools {
    @Suite struct ContentSyncTests {
        /// A harness whose content repository is a real clone of a bare remote,
        /// with a vault holding two ADRs (plus a README) and one discovery, and a
        /// stale discovery already published.
        static func setUp(remote: String = "origin") async throws -> (FunctionsHarness, GitFixture) {
            let fx = try await GitFixture()
            try "stale\n".write(toFile: fx.clone + "/old-find.md", atomically: true, encoding: .utf8)
            try FileManager.default.createDirectory(atPath: fx.clone + "/apps/web/content/discoveries", withIntermediateDirectories: true)
            try FileManager.default.moveItem(atPath: fx.clone + "/old-find.md", toPath: fx.clone + "/apps/web/content/discoveries/old-find.md")
            try await fx.git(["add", "-A"], in: fx.clone)
            try await fx.git(["commit", "-q", "-m", "publish old find"], in: fx.clone)
            try await fx.git(["push", "-q", "origin", "main"], in: fx.clone)
            let h = try FunctionsHarness { c, _ in
                c.contentSync.repoDir = fx.clone
                c.contentSync.remote = remote
            }
            try h.dir.write("vault/docs/decisions/0001-first.md", "---\ntitle: First\nstatus: accepted\n---\n\n# ADR-0001: First\n")
            try h.dir.write("vault/docs/decisions/0025-network.md", "# ADR-0025: Network\n")
            try h.dir.write("vault/docs/decisions/README.md", "index, never published\n")
            try h.dir.write("vault/Resources/discoveries/new-find.md", "# A find\n")
            return (h, fx)
        }

        @Test func contentSyncCommitsOnceAndPushesThenDoesNothing() async throws {
            let (h, fx) = try await Self.setUp()
            let first = try await h.run("system/content-sync", "content/updated", ["source": "fswatch", "path": "x"])
            let output = try #require(first.outcome.output, "\(first.outcome)")
            #expect(output["committed"] == true && output["pushed"] == true && output["totalSynced"] == 4)
            #expect(try await fx.remoteLog() == ["sync: vault content (4 files)", "publish old find", "init"])
            let message = try await fx.git(["log", "-1", "--format=%B", "main"], in: fx.remote)
            #expect(message == """
            sync: vault content (4 files)

            adrs (2):
              new: 0001-first.md
              new: 0025-network.md
            discoveries (2):
              new: new-find.md
              deleted: old-find.md

            Joelclaw-Sync: content


            """)
            let published = try FileManager.default.contentsOfDirectory(atPath: fx.clone + "/apps/web/content/adrs").sorted()
            #expect(published == ["0001-first.md", "0025-network.md"])
            #expect(try String(contentsOfFile: fx.clone + "/apps/web/content/adrs/0001-first.md", encoding: .utf8)
                    == "---\ntitle: First\nstatus: accepted\n---\n\n# ADR-0001: First\n")

            let second = try await h.run("system/content-sync", "content/updated", [:])
            #expect(second.outcome.output?["committed"] == false)
            #expect(second.outcome.output?["pushed"] == false)
            #expect(try await fx.remoteLog().count == 3, "nothing new, no commit")

            try h.dir.write("vault/docs/decisions/0025-network.md", "# ADR-0025: Network (revised)\n")
            let third = try await h.run("system/content-sync", "system/adr.sync.requested", ["reason": "edit"])
            #expect(third.outcome.output?["totalSynced"] == 1)
            #expect(try await fx.remoteLog().first == "sync: vault content (1 file)")
        }

        /// The remote refuses the push (a pre-receive hook): the step is retried
        /// once, then the run fails with git's message. The commit it made is not
        /// repeated later: the next run (remote accepting again) pushes that same
        /// commit without committing again.
        @Test func rejectedPushIsRetriedAndLaterPushedWithoutASecondCommit() async throws {
            let (h, fx) = try await Self.setUp()
            let hook = fx.remote + "/hooks/pre-receive"
            try "#!/bin/sh\necho 'refused by hook' >&2\nexit 1\n".write(toFile: hook, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook)
            let failed = try await h.run("system/content-sync", "content/updated", [:])
            #expect(failed.stepErrors["git-commit-push"] == 2)
            #expect(failed.outcome.errorMessage?.contains("refused by hook") == true, "\(failed.outcome)")
            #expect(try await fx.remoteLog().count == 2)
            let localCommits = try await fx.git(["log", "--format=%s", "main"], in: fx.clone).split(separator: "\n")
            #expect(localCommits.first == "sync: vault content (4 files)")
            #expect(localCommits.count == 3, "one commit, not one per attempt")

            try FileManager.default.removeItem(atPath: hook)
            let retried = try await h.run("system/content-sync", "content/updated", [:])
            #expect(retried.outcome.output?["committed"] == false, "\(retried.outcome)")
            #expect(retried.outcome.output?["pushed"] == true)
            #expect(try await fx.remoteLog() == ["sync: vault content (4 files)", "publish old find", "init"])
        }

        /// A commit made by hand in the checkout is never published by a sync:
        /// both functions stop with an error naming it, commit nothing and push nothing.
        @Test func handMadeLocalCommitIsNotPushedAlong() async throws {
            let (h, fx) = try await Self.setUp()
            try "private draft\n".write(toFile: fx.clone + "/draft.txt", atomically: true, encoding: .utf8)
            try await fx.git(["add", "draft.txt"], in: fx.clone)
            try await fx.git(["commit", "-q", "-m", "hand-made draft"], in: fx.clone)
            let before = try await fx.git(["rev-parse", "main"], in: fx.clone)

            for (function, event) in [("system/content-sync", "content/updated"), ("system/adr-sync", "system/adr.edited")] {
                let run = try await h.run(function, event, [:])
                #expect(run.outcome.output == nil, "\(function): \(run.outcome)")
                let message = run.outcome.errorMessage ?? ""
                #expect(message.contains("hand-made draft") && message.contains("nothing committed or pushed"), "\(function): \(message)")
            }
            #expect(try await fx.remoteLog() == ["publish old find", "init"], "the remote never saw the draft")
            #expect(try await fx.git(["rev-parse", "main"], in: fx.clone) == before, "no sync commit on top of it either")
        }

        /// A checkout left on a feature branch: nothing is copied into it,
        /// nothing committed, and neither the feature branch nor `main` is pushed.
        @Test func featureBranchCheckoutPushesNothing() async throws {
            let (h, fx) = try await Self.setUp()
            try await fx.git(["checkout", "-q", "-b", "feature"], in: fx.clone)
            try "wip\n".write(toFile: fx.clone + "/wip.md", atomically: true, encoding: .utf8)
            try await fx.git(["add", "wip.md"], in: fx.clone)
            try await fx.git(["commit", "-q", "-m", "feature work"], in: fx.clone)

            let run = try await h.run("system/content-sync", "content/updated", [:])
            let message = run.outcome.errorMessage ?? ""
            #expect(message.contains("branch \"feature\"") && message.contains("not \"main\""), "\(run.outcome)")
            #expect(try await fx.remoteLog() == ["publish old find", "init"])
            #expect(try await fx.git(["branch", "-r", "--list", "origin/feature"], in: fx.clone).isEmpty)
            #expect(!FileManager.default.fileExists(atPath: fx.clone + "/apps/web/content/adrs"), "nothing copied into the feature checkout")
            #expect(try await fx.git(["log", "-1", "--format=%s"], in: fx.clone) == "feature work\n")
        }

        /// The remote moved on (someone pushed from elsewhere): the sync neither
        /// commits on a stale branch nor pushes; a detached checkout is refused too.
        @Test func staleOrDetachedCheckoutCommitsAndPushesNothing() async throws {
            let (h, fx) = try await Self.setUp()
            let other = fx.dir.file("other")
            try await fx.git(["clone", "-q", fx.remote, other], in: fx.dir.path)
            try await fx.git(["-c", "user.name=o", "-c", "user.email=o@example.invalid", "commit", "-q", "--allow-empty", "-m", "elsewhere"], in: other)
            try await fx.git(["push", "-q", "origin", "main"], in: other)
            let before = try await fx.git(["rev-parse", "main"], in: fx.clone)

            let stale = try await h.run("system/content-sync", "content/updated", [:])
            #expect(stale.outcome.errorMessage?.contains("lacks 1 commit of \"origin/main\"") == true, "\(stale.outcome)")
            #expect(try await fx.git(["rev-parse", "main"], in: fx.clone) == before)
            #expect(try await fx.remoteLog().first == "elsewhere")

            try await fx.git(["checkout", "-q", "--detach"], in: fx.clone)
            let detached = try await h.run("system/adr-sync", "system/adr.edited", [:])
            #expect(detached.outcome.errorMessage?.contains("a detached HEAD checked out") == true, "\(detached.outcome)")
        }

        @Test func adrSyncCopiesNewAndUpdatedADRsOnlyAndNeverDeletes() async throws {
            let (h, fx) = try await Self.setUp()
            try FileManager.default.createDirectory(atPath: fx.clone + "/apps/web/content/adrs", withIntermediateDirectories: true)
            try "# retired\n".write(toFile: fx.clone + "/apps/web/content/adrs/0002-retired.md", atomically: true, encoding: .utf8)
            try await fx.git(["add", "-A"], in: fx.clone)
            try await fx.git(["commit", "-q", "-m", "retired adr"], in: fx.clone)
            try await fx.git(["push", "-q", "origin", "main"], in: fx.clone)  // published by hand, then removed from the vault

            let first = try await h.run("system/adr-sync", "system/adr.edited", [:])
            let output = try #require(first.outcome.output, "\(first.outcome)")
            #expect(output["syncedCount"] == 2 && output["newFiles"] == ["0001-first.md", "0025-network.md"])
            #expect(try await fx.remoteLog().prefix(2) == ["sync: update ADRs from Vault", "retired adr"])
            #expect(FileManager.default.fileExists(atPath: fx.clone + "/apps/web/content/adrs/0002-retired.md"))
            #expect(!FileManager.default.fileExists(atPath: fx.clone + "/apps/web/content/adrs/README.md"))
            #expect(FileManager.default.fileExists(atPath: fx.clone + "/apps/web/content/discoveries/old-find.md"), "discoveries untouched")

            let second = try await h.run("system/adr-sync", "system/adr.edited", [:])
            #expect(second.outcome.output?["syncedCount"] == 0)
            #expect(second.outcome.output?["commit"] == nil)
            #expect(try await fx.remoteLog().count == 4)
        }
    }
}
