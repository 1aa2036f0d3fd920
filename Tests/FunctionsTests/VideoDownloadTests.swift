import Foundation
import Subprocess
import HTTP
import InngestProtocol
import JSON
import Testing
@testable import Functions
import TestSupport

extension ExternalTools {
    @Suite struct VideoDownloadTests {
        /// A one-second clip made by ffmpeg, served like a video host would serve it.
        static func clipServer(_ dir: TemporaryDirectory) async throws -> (server: LoopbackServer, clip: Data) {
            try Tools.require("ffmpeg", install: "apt-get install ffmpeg")
            try await ProcessCommandRunner().runChecked(Command([
                "ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=duration=1:size=160x120:rate=10", "-f", "lavfi",
                "-i", "sine=duration=1", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", dir.file("clip.mp4"),
            ], timeout: 60))
            let clip = try Data(contentsOf: URL(fileURLWithPath: dir.file("clip.mp4")))
            let bytes = [UInt8](clip)
            let server = try LoopbackServer { request in
                guard request.path == "/media/Launch Talk.mp4" else { return HTTPResponse(status: 404, contentType: "text/plain", text: "no") }
                return HTTPResponse(status: 200, headers: ["Content-Type": "video/mp4", "Last-Modified": "Tue, 10 Feb 2026 12:00:00 GMT"],
                                    body: request.method == "HEAD" ? [] : bytes)
            }
            return (server, clip)
        }

        /// The whole media chain from one request: download (real yt-dlp) → NAS
        /// (a local destination) → transcript (stand-in whisper) → summary
        /// (stand-in LLM) → system log, with every event and line checked.
        @Test func videoRequestFlowsThroughTheWholePipeline() async throws {
            try Tools.require("yt-dlp", install: "pip install yt-dlp")
            let media = try TemporaryDirectory("clip")
            let (host, clip) = try await Self.clipServer(media)
            let llm = try anthropicStandIn { _, _ in "## Executive Summary\n\nA launch talk." }
            let h = try FunctionsHarness { c, dir in
                c.transcriberCommand = [try fakeWhisper(dir)]
                c.llm.baseURL = llm.url
            }
            let runs = try await h.runChain(InngestEvent(name: "pipeline/video.requested",
                                                         data: ["url": .string(host.url + "/media/Launch%20Talk.mp4")]))
            for run in runs { #expect(run.report.outcome.output != nil, "\(run.function) for \(run.event): \(run.report.outcome)") }
            #expect(runs.map(\.function).prefix(3) == ["video-download", "system-logger", "transcript-process"])
            let download = try #require(runs.first?.report)
            #expect(download.completedSteps == ["download", "transfer-to-nas", "log-download", "emit-events", "push-gateway-event"])

            let year = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date()).year!
            let nasPath = "\(h.config.nas.root)/\(year)/launch-talk"
            #expect(download.outcome.output == ["slug": "launch-talk", "title": "Launch Talk", "channel": "", "nasPath": .string(nasPath),
                                                "status": "downloaded"])
            #expect(try FileManager.default.contentsOfDirectory(atPath: nasPath).sorted() == ["Launch Talk.info.json", "Launch Talk.mp4"])
            #expect(try Data(contentsOf: URL(fileURLWithPath: nasPath + "/Launch Talk.mp4")) == clip)

            let sent = h.sentEvents
            let downloaded = try #require(sent.first { $0.name == "pipeline/video.downloaded" })
            #expect(downloaded.data["slug"] == "launch-talk")
            #expect(downloaded.data["nasPath"] == .string(nasPath))
            #expect(downloaded.data["sourceUrl"] == .string(host.url + "/media/Launch%20Talk.mp4"))
            let requested = try #require(sent.first { $0.name == "pipeline/transcript.requested" })
            #expect(requested.data["source"] == "youtube")
            #expect(requested.data["audioPath"]?.stringValue?.hasSuffix("/Launch Talk/Launch Talk.mp4") == true)
            #expect(sent.map(\.name).contains("content/summarized"))

            let note = try #require(try h.services.vault.read("Resources/videos/launch-talk.md"))
            #expect(note.contains("nas_path: \(nasPath)\n") && note.contains("A launch talk.") && note.contains("**[00:00]** Hello"))
            let scratch = h.config.scratchDir + "/video-ingest"
            #expect(try FileManager.default.contentsOfDirectory(atPath: scratch).isEmpty, "the run's download dir is removed after transcription")

            let lines = try h.systemLogLines().map { "\($0["action"]!.stringValue!) \($0["tool"]!.stringValue!)" }
            #expect(lines == ["download video-download", "video-downloaded pipeline", "transcribe transcript-process",
                              "transcript-processed pipeline", "summarize content-summarize", "summarized content"])
            #expect(try h.systemLogLines()[0]["detail"] == "Launch Talk (00:00:00)", "direct links carry no duration")
        }

        /// yt-dlp keeps failing (a stand-in that fails like yt-dlp does on a
        /// 404): the step is retried (retries: 2) and the run fails with the
        /// tool's own complaint; nothing is sent or logged.
        @Test func failingDownloaderRetriesThenFailsWithItsError() async throws {
            let h = try FunctionsHarness { c, dir in
                c.ytDlpCommand = [try writeScript(dir, "fake-yt-dlp.sh", """
                    echo "$@" >> "\(dir.file("yt-dlp-calls.txt"))"
                    echo 'ERROR: [generic] Unable to download webpage: HTTP Error 404: Not Found' >&2
                    exit 1
                    """)]
            }
            let report = try await h.run("video-download", "pipeline/video.requested", ["url": "http://127.0.0.1:9/missing.mp4"])
            #expect(report.stepErrors["download"] == 3)
            #expect(try h.dir.read("yt-dlp-calls.txt").split(separator: "\n").count == 3)
            let message = try #require(report.outcome.errorMessage)
            #expect(message.contains("yt-dlp did not create a subdirectory (exit 1)") && message.contains("HTTP Error 404"))
            #expect(h.sentEvents.isEmpty)
            #expect(try h.systemLogLines().isEmpty)
        }

        @Test func missingURLIsNotRetried() async throws {
            let h = try FunctionsHarness()
            let report = try await h.run("video-download", "pipeline/video.requested", ["maxQuality": "720"])
            #expect(report.calls == 1)
            #expect(report.outcome.errorMessage?.contains("invalid pipeline/video.requested data") == true)
            let option = try await h.run("video-download", "pipeline/video.requested", ["url": "--exec=touch /tmp/owned"])
            #expect(option.calls == 1 && option.outcome.errorMessage?.contains("needs an http(s) url") == true)
        }
    }
}
