import Foundation
import Subprocess
import HTTP
import InngestProtocol
import JSON
import Testing
@testable import Functions
import TestSupport

extension ExternalTools {
    @Suite struct MediaPipelineTests {
        static let fixedNow = Date(timeIntervalSince1970: 1_771_264_000)  // 2026-02-16T17:46:40Z

        static let summary = """
        ## Executive Summary

        A talk about event buses.

        ## Key Points

        - Events are past tense.
        """

        /// transcript-process (stand-in whisper) → content-summarize (stand-in
        /// LLM) → system-logger, chained as the server would chain them.
        @Test func transcriptThenSummaryThroughTheEventChain() async throws {
            let llm = try anthropicStandIn { system, prompt in
                #expect(system.contains("## Executive Summary"))
                #expect(prompt.contains("# Some Talk"))
                return "```markdown\n" + Self.summary + "\n```"
            }
            let h = try FunctionsHarness({ c, dir in
                c.transcriberCommand = [try fakeWhisper(dir)]
                c.llm.baseURL = llm.url
            }, now: { Self.fixedNow })
            let tmpDir = h.config.scratchDir + "/video-ingest/run-1"
            try h.dir.write("scratch/video-ingest/run-1/Some Talk/Some Talk.mp4", "not really a video")

            let runs = try await h.runChain(InngestEvent(name: "pipeline/transcript.requested", data: [
                "source": "youtube", "title": "Some Talk", "slug": "some-talk",
                "audioPath": .string(tmpDir + "/Some Talk/Some Talk.mp4"), "channel": "Conf", "publishedDate": "2026-02-10",
                "duration": "01:02:05", "sourceUrl": "https://www.youtube.com/watch?v=abc",
                "nasPath": "/volume1/video/2026/some-talk", "tmpDir": .string(tmpDir),
            ]))
            #expect(runs.map(\.function) == ["transcript-process", "system-logger", "content-summarize", "system-logger",
                                             "system-logger", "system-logger"])
            for run in runs { #expect(run.report.outcome.output != nil, "\(run.function) for \(run.event): \(run.report.outcome)") }
            #expect(runs[0].report.completedSteps == ["transcribe", "extract-screenshots", "create-vault-note", "update-daily-note", "log-and-cleanup",
                                                      "emit-events", "push-gateway-event"])

            let note = try #require(try h.services.vault.read("Resources/videos/some-talk.md"))
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

            A talk about event buses.

            ## Key Points

            - Events are past tense.

            ## Full Transcript

            > [!note]- Transcript
            >
            >
            > **[00:00]** Hello and welcome to the talk.
            >
            > **[02:10]** Later.

            """)
            #expect(try h.services.vault.read("Daily/2026-02-16.md")
                    == "---\ntype: daily\ndate: 2026-02-16\n---\n\n# 2026-02-16\n\n## Videos\n\n- [[some-talk]] — Some Talk by Conf · 01:02:05\n")
            #expect(!FileManager.default.fileExists(atPath: tmpDir), "the download's scratch dir is cleaned up")

            // One line per fact: the re-emitted system/log.written events add nothing.
            let lines = try h.systemLogLines()
            #expect(lines.map { "\($0["action"]!.stringValue!) \($0["tool"]!.stringValue!)" }
                    == ["transcribe transcript-process", "transcript-processed pipeline", "summarize content-summarize", "summarized content"])
            #expect(lines[0]["detail"] == "Some Talk (youtube)")
            #expect(lines[0]["timestamp"] == "2026-02-16T17:46:40.000Z")
            let names = h.sentEvents.map(\.name)
            #expect(names == ["pipeline/transcript.processed", "content/summarize.requested", "system/log.written",
                              "content/summarized", "system/log.written"])
            #expect(llm.requests.count == 1)
        }

        @Test func transcriptFromTextSkipsTheTranscriber() async throws {
            let h = try FunctionsHarness({ c, _ in c.transcriberCommand = ["/nonexistent/whisper"] }, now: { Self.fixedNow })
            let report = try await h.run("transcript-process", "pipeline/transcript.requested",
                                         ["source": "granola", "title": "Standup", "slug": "standup", "text": "Ann: hi\nBob: hello"])
            #expect(report.outcome.output?["vaultPath"]?.stringValue == h.config.vaultDir + "/Resources/videos/standup.md")
            let note = try #require(try h.services.vault.read("Resources/videos/standup.md"))
            #expect(note.hasPrefix("---\ntype: transcript\ntranscribed: 2026-02-16\ntags:\n  - transcript\n  - granola\n---\n\n# Standup\n\n## Executive Summary"))
            #expect(note.hasSuffix("> [!note]- Transcript\n>\n> Ann: hi\n> Bob: hello\n"))
            #expect(try h.services.vault.read("Daily/2026-02-16.md")?.contains("- [[standup]] — Standup by granola") == true)
        }

        @Test func missingTranscriptInputFailsAtOnce() async throws {
            let h = try FunctionsHarness()
            let report = try await h.run("transcript-process", "pipeline/transcript.requested",
                                         ["source": "manual", "title": "Nothing", "slug": "nothing"])
            #expect(report.outcome.errorMessage?.contains("requires either audioPath or text") == true)
            #expect(report.stepErrors["transcribe"] == 1, "non-retriable: one attempt only")
            let badSlug = try await h.run("transcript-process", "pipeline/transcript.requested",
                                          ["source": "manual", "title": "x", "slug": "../etc", "text": "t"])
            #expect(badSlug.outcome.errorMessage?.contains("unusable slug") == true)
            #expect(badSlug.calls == 1)
        }

        /// A transcriber that keeps failing is retried (retries: 2 → 3 attempts)
        /// and the run fails with its stderr in the error.
        @Test func failingTranscriberRetriesThenFailsClearly() async throws {
            let h = try FunctionsHarness({ c, dir in
                c.transcriberCommand = [try writeScript(dir, "broken-whisper.sh", "echo 'model weights missing' >&2; exit 3")]
            })
            try h.dir.write("audio.mp4", "x")
            let report = try await h.run("transcript-process", "pipeline/transcript.requested",
                                         ["source": "podcast", "title": "Ep", "slug": "ep", "audioPath": .string(h.dir.file("audio.mp4"))])
            #expect(report.stepErrors["transcribe"] == 3)
            let message = try #require(report.outcome.errorMessage)
            #expect(message.contains("exited with status 3") && message.contains("model weights missing"))
            #expect(try h.services.vault.read("Resources/videos/ep.md") == nil)
        }

        @Test func summarizeRejectsPathsOutsideTheVaultAndStopsOnAuthErrors() async throws {
            let llm = try LoopbackServer { _ in .json(#"{"type":"error","error":{"type":"authentication_error"}}"#, status: 401) }
            let h = try FunctionsHarness({ c, _ in c.llm.baseURL = llm.url })
            let outside = try await h.run("content-summarize", "content/summarize.requested", ["vaultPath": "/etc/passwd"])
            #expect(outside.outcome.errorMessage?.contains("outside") == true)
            #expect(outside.calls == 1)

            try h.services.vault.write("Resources/videos/n.md", "# N\n\n## Executive Summary\n\n<!-- TODO -->\n")
            let denied = try await h.run("content-summarize", "content/summarize.requested", ["vaultPath": "Resources/videos/n.md"])
            #expect(denied.outcome.errorMessage?.contains("HTTP 401") == true)
            #expect(denied.stepErrors["summarize"] == 1, "a 401 is not retried")
            #expect(llm.requests.count == 1)
        }

        /// The LLM as a configured command (like `pi -p`): the prompt arrives as
        /// the last argument, the answer is stdout.
        @Test func summarizeThroughAnLLMCommand() async throws {
            let h = try FunctionsHarness { c, dir in
                c.llm.command = [try writeScript(dir, "fake-pi.sh", #"""
                last=""; for a in "$@"; do last="$a"; done
                printf '%s' "$last" > "$(dirname "$0")/prompt.txt"
                printf '## Executive Summary\n\nSummarized by a command.\n'
                """#), "-p", "--no-session"]
            }
            try h.services.vault.write("Resources/videos/talk.md", "# Talk\n\n## Executive Summary\n\n<!-- TODO -->\n\n## Full Transcript\n\n> text\n")
            let report = try await h.run("content-summarize", "content/summarize.requested", ["vaultPath": "Resources/videos/talk.md"])
            #expect(report.outcome.output?["title"] == "Talk")
            #expect(try h.services.vault.read("Resources/videos/talk.md")
                    == "# Talk\n\n## Executive Summary\n\nSummarized by a command.\n\n## Full Transcript\n\n> text\n")
            let prompt = try h.dir.read("prompt.txt")
            #expect(prompt.hasPrefix(ContentSummarizeFunction.systemPrompt) && prompt.contains("Note (Talk):\n\n# Talk"))

            let missing = try FunctionsHarness { c, _ in c.llm.command = ["/nonexistent/pi"] }
            try missing.services.vault.write("Resources/videos/talk.md", "# Talk\n")
            let failed = try await missing.run("content-summarize", "content/summarize.requested", ["vaultPath": "Resources/videos/talk.md"])
            #expect(failed.stepErrors["summarize"] == 1, "a missing command is not retried")
            #expect(failed.outcome.errorMessage?.hasSuffix("could not start `/nonexistent/pi`: No such file or directory") == true, "\(failed.outcome)")
        }

        /// Frames are grabbed by ffmpeg at evenly spaced times, named from what
        /// is said around them, copied next to the note and beside the archived
        /// video, and listed in the note.
        @Test func screenshotsAreGrabbedNamedAndListed() async throws {
            try Tools.require("ffmpeg", install: "apt-get install ffmpeg")
            let h = try FunctionsHarness({ c, dir in
                c.transcriberCommand = [try fakeWhisper(dir, output: """
                    {"text":"x","segments":[{"start":0.0,"end":4.0,"text":" Here is the architecture diagram of the event bus."},
                    {"start":4.0,"end":8.0,"text":" Kubernetes cluster nodes talk to Redis."},{"start":8.0,"end":10.0,"text":" Questions?"}]}
                    """)]
            }, now: { Self.fixedNow })
            try await ProcessCommandRunner().runChecked(Command([
                "ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=duration=10:size=160x120:rate=5", "-c:v", "libx264",
                "-pix_fmt", "yuv420p", h.dir.file("talk.mp4"),
            ], timeout: 60))
            let report = try await h.run("transcript-process", "pipeline/transcript.requested", [
                "source": "youtube", "title": "Bus Talk", "slug": "bus-talk", "audioPath": .string(h.dir.file("talk.mp4")),
                "nasPath": .string(h.config.nas.root + "/2026/bus-talk"),
            ])
            #expect(report.outcome.output?["status"] == "processed", "\(report.outcome)")
            let names = ["architecture-diagram-event-kubernetes", "architecture-diagram-event-kubernetes-2",
                         "architecture-diagram-event-kubernetes-3", "architecture-diagram-event-kubernetes-4"]
            let inVault = try FileManager.default.contentsOfDirectory(atPath: h.config.vaultDir + "/Resources/videos/bus-talk").sorted()
            #expect(inVault == names.map { "\($0).jpg" }.sorted())
            let onNAS = try FileManager.default.contentsOfDirectory(atPath: h.config.nas.root + "/2026/bus-talk/screenshots").sorted()
            #expect(onNAS == inVault)
            let jpeg = try Data(contentsOf: URL(fileURLWithPath: h.config.vaultDir + "/Resources/videos/bus-talk/\(names[0]).jpg"))
            #expect(jpeg.prefix(2) == Data([0xFF, 0xD8]), "a JPEG")
            let note = try #require(try h.services.vault.read("Resources/videos/bus-talk.md"))
            #expect(note.contains("""
                ## Screenshots (place inline during enrichment)

                ![architecture diagram event kubernetes](bus-talk/architecture-diagram-event-kubernetes.jpg) <!-- 00:02 -->
                ![architecture diagram event kubernetes 2](bus-talk/architecture-diagram-event-kubernetes-2.jpg) <!-- 00:04 -->
                ![architecture diagram event kubernetes 3](bus-talk/architecture-diagram-event-kubernetes-3.jpg) <!-- 00:06 -->
                ![architecture diagram event kubernetes 4](bus-talk/architecture-diagram-event-kubernetes-4.jpg) <!-- 00:08 -->

                ## Full Transcript
                """))
        }

        /// With a notify URL configured, the gateway receives a `SystemEvent`;
        /// a gateway that is down does not fail the run.
        @Test func gatewayNotificationsAreSentAndBestEffort() async throws {
            let gateway = try LoopbackServer { _ in .json("{}") }
            let h = try FunctionsHarness { c, _ in c.notifyURL = gateway.url + "/events" }
            let report = try await h.run("transcript-process", "pipeline/transcript.requested",
                                         ["source": "manual", "title": "Note", "slug": "note", "text": "hello"])
            #expect(report.outcome.output?["status"] == "processed")
            let request = try #require(gateway.requests.first)
            #expect(request.method == "POST" && request.path == "/events")
            let event = try JSON(parsing: request.body)
            #expect(event["type"] == "media.transcribed" && event["source"] == "inngest")
            #expect(event["payload"] == ["title": "Note", "vaultPath": .string(h.config.vaultDir + "/Resources/videos/note.md")])
            #expect(event["id"]?.stringValue?.count == 36 && (event["ts"]?.intValue ?? 0) > 1_700_000_000_000)

            let down = try FunctionsHarness { c, _ in c.notifyURL = "http://127.0.0.1:\(try LoopbackSSHD.freePort())/events" }
            let quiet = try await down.run("transcript-process", "pipeline/transcript.requested",
                                           ["source": "manual", "title": "Note", "slug": "note", "text": "hello"])
            #expect(quiet.outcome.output?["status"] == "processed")
        }
    }
}
