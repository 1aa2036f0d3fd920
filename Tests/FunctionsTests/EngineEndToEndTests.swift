import Engine
import Foundation
import HTTP
import InngestProtocol
import JSON
import Testing
@testable import Functions
import TestSupport

extension ExternalTools {
    /// The media pipeline as it runs in production: one `pipeline/video.requested`
    /// into the embedded engine, and the engine drives video-download (real
    /// yt-dlp), transcript-process, content-summarize and every system-logger
    /// run those events trigger, over HTTP to the worker.
    @Suite struct EngineEndToEndTests {
        @Test func videoRequestRunsTheWholeChainThroughTheEngine() async throws {
            try Tools.require("yt-dlp", install: "pip install yt-dlp")
            let media = try TemporaryDirectory("clip")
            let (host, clip) = try await ExternalTools.VideoDownloadTests.clipServer(media)
            let llm = try anthropicStandIn { _, _ in "## Executive Summary\n\nA launch talk." }
            let h = try FunctionsHarness { c, dir in
                c.transcriberCommand = [try fakeWhisper(dir)]
                c.llm.baseURL = llm.url
            }
            let chain = try await EngineChain(h)
            try await chain.send("pipeline/video.requested", ["url": .string(host.url + "/media/Launch%20Talk.mp4")])

            // 3 pipeline runs + 6 logger runs (3 pipeline events, 3 re-emitted log events).
            let runs = try await chain.settled(expected: 9)
            await chain.stop()
            #expect(runs.filter { $0.status != "Completed" }.isEmpty, "\(runs.filter { $0.status != "Completed" })")
            #expect(runs.filter { $0.function == "system-logger" }.count == 6)
            #expect(Set(runs.map(\.function)) == ["video-download", "transcript-process", "content-summarize", "system-logger"])
            let download = try #require(runs.first { $0.function == "video-download" })
            #expect(download.output?["slug"] == "launch-talk" && download.output?["status"] == "downloaded")

            let nasPath = try #require(download.output?["nasPath"]?.stringValue)
            #expect(try Data(contentsOf: URL(fileURLWithPath: nasPath + "/Launch Talk.mp4")) == clip)
            let note = try #require(try h.services.vault.read("Resources/videos/launch-talk.md"))
            #expect(note.contains("## Executive Summary\n\nA launch talk.\n") && note.contains("> **[00:00]** Hello and welcome"))
            // Six loggers ran, some concurrently; still one line per fact.
            let lines = try h.systemLogLines().map { "\($0["action"]!.stringValue!) \($0["tool"]!.stringValue!)" }
            #expect(lines.sorted() == ["download video-download", "summarize content-summarize", "summarized content",
                                       "transcribe transcript-process", "transcript-processed pipeline", "video-downloaded pipeline"])
        }
    
        /// observe-session (throttled) and health-check (concurrency 1) through the engine.
        @Test func observeAndHealthRunThroughTheEngine() async throws {
            let answer = try ObserveSessionTests.fixture("observer-answer.xml")
            let llm = try anthropicStandIn { _, _ in answer }
            let served = ServedCount()
            let worker = try LoopbackServer { _ in .json(#"{"function_count":\#(served.value)}"#) }
            let down = try LoopbackServer { _ in .json("{}", status: 500) }
            let h = try FunctionsHarness { c, _ in
                c.llm.baseURL = llm.url
                c.health.workerURL = worker.url + "/api/inngest"
                c.health.httpServices = [HTTPServiceCheck(name: "search", url: down.url + "/")]
            }
            served.value = servedFunctionCount(h.inngest.functions)
            let chain = try await EngineChain(h)
            try await chain.send("memory/session.compaction.pending", try ObserveSessionTests.event())
            try await chain.send("system/health.requested", [:])
            let runs = try await chain.settled(expected: 2)
            await chain.stop()
            #expect(runs.allSatisfy { $0.status == "Completed" }, "\(runs)")
            // Their events (observations.accumulated, health.degraded) have no consumers here.
            #expect(runs.map(\.function).sorted() == ["memory/observe-session", "system/health-check"])
            #expect(try h.services.observations.search("bun install", limit: 1, includeWithheld: false).count == 1)
            let health = try #require(runs.first { $0.function == "system/health-check" })
            #expect(health.output?["newlyDegraded"] == ["remote/search"])
            #expect(try h.systemLogLines().map { $0["action"] } == ["degraded"])
        }
    }

}

extension ExternalTools.EngineEndToEndTests {
    /// `system/adr-sync` driven by the embedded engine against a real clone of
    /// a bare remote: the first edit event copies the ADRs, commits once and
    /// pushes; a second event with nothing new makes no commit.
    @Test func adrSyncThroughTheEngineCommitsOnceThenNothing() async throws {
        let (h, fx) = try await ExternalTools.ContentSyncTests.setUp()
        let chain = try await EngineChain(h)
        try await chain.send("system/adr.edited", ["path": "docs/decisions/0025-network.md"])
        let first = try await chain.settled(expected: 1)
        let sync = try #require(first.first { $0.function == "system/adr-sync" }, "\(first)")
        #expect(sync.status == "Completed", "\(sync)")
        #expect(sync.output?["syncedCount"] == 2)
        #expect(try await fx.remoteLog() == ["sync: update ADRs from Vault", "publish old find", "init"])

        try await chain.send("system/adr.edited", [:])
        let second = try await chain.settled(expected: first.count + 1)
        await chain.stop()
        let syncs = second.filter { $0.function == "system/adr-sync" }
        #expect(syncs.count == 2 && syncs.allSatisfy { $0.status == "Completed" }, "\(syncs)")
        #expect(syncs.last?.output?["syncedCount"] == 0)
        #expect(try await fx.remoteLog().count == 3, "nothing new, no commit")
    }
}

extension ExternalTools.EngineEndToEndTests {
    /// `system/content-sync` through the engine, its 45 s debounce stepped over
    /// with a manual clock: two quick `content/updated` events become one run
    /// that commits once and pushes; a later event with nothing new commits nothing.
    @Test func contentSyncThroughTheEngineDebouncesAndCommitsOnce() async throws {
        let (h, fx) = try await ExternalTools.ContentSyncTests.setUp()
        let clock = ManualClock(startMilliseconds: 1_767_225_630_000)
        let chain = try await EngineChain(h, clock: clock)
        try await chain.send("content/updated", ["source": "fswatch", "path": "a"])
        try await chain.send("content/updated", ["source": "fswatch", "path": "b"])
        let first = try await Self.syncRuns(chain, clock: clock, count: 1)
        #expect(first.count == 1 && first[0].status == "Completed", "\(first)")
        #expect(first.first?.output?["committed"] == true && first.first?.output?["pushed"] == true)
        #expect(try await fx.remoteLog() == ["sync: vault content (4 files)", "publish old find", "init"])

        try await chain.send("content/updated", [:])
        let second = try await Self.syncRuns(chain, clock: clock, count: 2)
        await chain.stop()
        #expect(second.count == 2 && second.allSatisfy { $0.status == "Completed" }, "\(second)")
        #expect(second.last?.output?["committed"] == false)
        #expect(try await fx.remoteLog().count == 3, "nothing new, no commit")
    }

    /// Moves the manual clock past the debounce until `count` content-sync runs
    /// have finished (the debounce is stored asynchronously, so one jump may
    /// come before it), then returns them.
    static func syncRuns(_ chain: EngineChain, clock: ManualClock, count: Int) async throws -> [EngineChain.Run] {
        let finished = await firstValue(timeout: 60, every: 0.05) { () throws -> [EngineChain.Run]? in
            let runs = try chain.runs().filter { $0.function == "system/content-sync" }
            if runs.count >= count, runs.allSatisfy({ $0.status != "Running" }) { return runs }
            clock.advance(bySeconds: 50)
            return nil
        }
        if let finished { return finished }
        throw TestFailure("content-sync runs did not finish: \(try chain.runs())")
    }
}
