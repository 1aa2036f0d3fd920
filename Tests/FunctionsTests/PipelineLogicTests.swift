import Foundation
import JSON
import Testing
@testable import Functions

@Suite struct PipelineLogicTests {
    @Test func slugFollowsTheOriginalRules() {
        #expect(Slug.make("Some Talk") == "some-talk")
        #expect(Slug.make("  Swift 6: Concurrency -- Deep  Dive! ") == "-swift-6-concurrency-deep-dive")
        #expect(Slug.make(String(repeating: "ab ", count: 40)).count <= 80)
        #expect(!Slug.make(String(repeating: "ab ", count: 40)).hasSuffix("-"))
        #expect(Slug.make("Ünïcode only ✨") == "ncode-only")
    }

    /// Titles with no Latin letters or digits still name a file: a short hash,
    /// stable per title and different between titles.
    @Test func titlesThatSlugToNothingGetAStableUniqueName() {
        let titles = ["東京の話", "大阪の話", "Привет мир", "🚀✨", "!!! ???", "", "-", "   "]
        let slugs = titles.map(Slug.make)
        for slug in slugs {
            #expect(slug.hasPrefix("untitled-") && slug.count == 21, "\(slug)")
            #expect(slug.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        }
        #expect(Set(slugs).count == titles.count, "no two titles share a slug")
        #expect(Slug.make("東京の話") == slugs[0], "stable across calls")
    }

    @Test func infoJSONFixtureGivesTheSpecifiedValues() throws {
        let info = try VideoInfo(infoJSON: Array(#"{"title":"Some Talk","channel":"Conf","uploader":"conf-uploader","upload_date":"20260210","duration":3725,"webpage_url":"https://www.youtube.com/watch?v=abc"}"#.utf8),
                                 requestedURL: "http://127.0.0.1/x")
        #expect(info == VideoInfo(title: "Some Talk", channel: "Conf", publishedDate: "2026-02-10", duration: "01:02:05",
                                  sourceURL: "https://www.youtube.com/watch?v=abc"))
        let sparse = try VideoInfo(infoJSON: Array(#"{"title":"T","uploader":"u"}"#.utf8), requestedURL: "http://127.0.0.1/x")
        #expect(sparse.publishedDate == nil && sparse.channel == "u" && sparse.sourceURL == "http://127.0.0.1/x")
    }

    @Test func whisperNaNBecomesNull() throws {
        let t = try Transcript(whisperJSON: Array(#"{"text":" Hi NaN","segments":[{"start":0.0,"end":NaN,"text":" Hi NaN","avg_logprob":NaN}]}"#.utf8))
        #expect(t.text == " Hi NaN")
        #expect(t.segments == [TranscriptSegment(start: 0, end: 0, text: " Hi NaN")])
    }

    /// A video note as the vault already holds them (without the screenshots section, which is not produced).
    @Test func videoNoteMatchesTheFixtureByteForByte() {
        let note = VideoNote.render(VideoNoteContent(
            title: "Some Talk", slug: "some-talk", source: "youtube", sourceURL: "https://www.youtube.com/watch?v=abc",
            channel: "Conf", publishedDate: "2026-02-10", duration: "01:02:05", nasPath: "/volume1/video/2026/some-talk",
            transcribedDate: "2026-02-16",
            transcript: Transcript(text: " Hello and welcome to the talk.", segments: [
                TranscriptSegment(start: 0, end: 4.2, text: " Hello and welcome"),
                TranscriptSegment(start: 4.2, end: 9.8, text: " to the talk."),
                TranscriptSegment(start: 130, end: 140, text: " Later."),
            ])))
        #expect(note == """
        ---
        type: video
        source: https://www.youtube.com/watch?v=abc
        channel: Conf
        published: 2026-02-10
        duration: "01:02:05"
        nas_path: /volume1/video/2026/some-talk
        transcribed: 2026-02-16
        tags:
          - video
          - youtube
        ---

        # Some Talk

        > [!info] Source
        > **Channel**: Conf · **Published**: 2026-02-10 · **Duration**: 01:02:05
        > **URL**: https://www.youtube.com/watch?v=abc

        ## Executive Summary

        <!-- TODO: enrichment via content/summarize -->

        ## Full Transcript

        > [!note]- Transcript
        >
        >
        > **[00:00]** Hello and welcome to the talk.
        >
        > **[02:10]** Later.

        """)
    }

    @Test func dailyNoteGetsOneLinePerVideoInsideTheVideosSection() {
        let line = DailyNote.videoLine(slug: "some-talk", title: "Some Talk", by: "Conf", duration: "01:02:05")
        #expect(line == "- [[some-talk]] — Some Talk by Conf · 01:02:05")
        let created = DailyNote.adding(line, slug: "some-talk", to: nil, date: "2026-02-16")
        #expect(created == "---\ntype: daily\ndate: 2026-02-16\n---\n\n# 2026-02-16\n\n## Videos\n\n- [[some-talk]] — Some Talk by Conf · 01:02:05\n")
        #expect(DailyNote.adding(line, slug: "some-talk", to: created, date: "2026-02-16") == created)
        let withOther = "# D\n\n## Videos\n\n- [[a]] — A by X\n\n## Notes\n\ntext\n"
        #expect(DailyNote.adding("- [[b]] — B by Y", slug: "b", to: withOther, date: "D")
                == "# D\n\n## Videos\n\n- [[a]] — A by X\n- [[b]] — B by Y\n\n## Notes\n\ntext\n")
        #expect(DailyNote.adding("- [[b]] — B by Y", slug: "b", to: "# D\n\nfree text", date: "D")
                == "# D\n\nfree text\n\n## Videos\n\n- [[b]] — B by Y\n")
    }

    @Test func systemLogNormalizationFollowsTheOriginal() {
        let derived = SystemLogNormalizer.fields(eventName: "pipeline/video.downloaded", data: ["slug": "some-talk"])
        #expect(derived.action == "video-downloaded")
        #expect(derived.tool == "pipeline")
        #expect(derived.detail == #"{"slug":"some-talk"}"#)
        #expect(derived.reason == nil)
        let explicit = SystemLogNormalizer.fields(eventName: "system/log.written",
                                                  data: ["action": "degraded", "tool": "worker", "detail": "down", "reason": "health"])
        #expect(explicit.action == "degraded" && explicit.tool == "worker" && explicit.detail == "down" && explicit.reason == "health")
    }

    @Test func commitMessageMatchesTheFixture() {
        let message = ContentSyncReport.commitMessage([
            ContentDirectoryReport(name: "adrs", sourceCount: 30, synced: [SyncedFile(file: "0099-new-thing.md", status: .new),
                                                                          SyncedFile(file: "0025-k3s-cluster-for-joelclaw-network.md", status: .updated)]),
            ContentDirectoryReport(name: "discoveries", sourceCount: 4, synced: [SyncedFile(file: "old-find.md", status: .deleted)]),
            ContentDirectoryReport(name: "quiet", sourceCount: 1, synced: []),
        ])
        #expect(message == "sync: vault content (3 files)\n\nadrs (2):\n  new: 0099-new-thing.md\n  updated: 0025-k3s-cluster-for-joelclaw-network.md\ndiscoveries (1):\n  deleted: old-find.md")
    }

    @Test func screenshotPlanSpacesFramesAndNamesThemFromSpeech() {
        let long = (0..<30).map { TranscriptSegment(start: Double($0 * 60), end: Double($0 * 60 + 60), text: " segment \($0) about kubernetes") }
        let shots = ScreenshotPlan.shots(for: long)
        #expect(shots.count == 10, "one per two minutes, at most ten")
        #expect(shots.first?.seconds == 1800.0 / 11)
        #expect(ScreenshotPlan.shots(for: [TranscriptSegment(start: 0, end: 60, text: " yeah so um")]).map(\.name)
                == ["scene", "scene-2", "scene-3", "scene-4"])
        #expect(ScreenshotPlan.shots(for: []).isEmpty)
        #expect(ScreenshotPlan.name(from: "The Event-Bus architecture: events, EVENTS and replays!") == "eventbus-architecture-events-replays")
    }
}
