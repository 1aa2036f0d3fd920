import Foundation
import InngestProtocol
import JSON
import Subprocess
import Testing
@testable import Functions
import TestSupport

/// Paths and names from event data are hostile: they stay inside their
/// configured folders, and none of them can become an option of a spawned tool.
extension ExternalTools {
    @Suite struct EventPathHostileTests {
        /// A transcriber stand-in that records its argv (one per line) and writes whisper JSON.
        static func recordingWhisper(_ dir: TemporaryDirectory) throws -> String {
            try writeScript(dir, "recording-whisper.sh", #"""
            printf '%s\n' "$@" > "$(dirname "$0")/whisper-argv.txt"
            out=""; audio=""
            while [ $# -gt 0 ]; do
              case "$1" in --output-dir) out="$2"; shift 2;; --model|--output-format) shift 2;; --) audio="$2"; shift 2;; *) audio="$1"; shift;; esac
            done
            printf '{"text":" hi","segments":[{"start":0.0,"end":1.0,"text":" hi"}]}' > "$out/out.json"
            """#)
        }

        @Test func audioPathOutsideTheMediaFoldersIsRefusedBeforeAnyToolRuns() async throws {
            let h = try FunctionsHarness { c, dir in c.transcriberCommand = [try Self.recordingWhisper(dir)] }
            try h.dir.write("outside/secret.mp4", "secret")
            try h.dir.write("scratch/ok.mp4", "x")
            try FileManager.default.createSymbolicLink(atPath: h.dir.file("scratch/escape"), withDestinationPath: h.dir.file("outside"))
            let hostile = ["/etc/passwd", "--output-dir=/tmp/x", "-oProxyCommand=touch /tmp/pwned", "ok.mp4",
                           h.config.scratchDir + "/../outside/secret.mp4", h.config.scratchDir + "/escape/secret.mp4"]
            for audio in hostile {
                let report = try await h.run("transcript-process", "pipeline/transcript.requested",
                                             ["source": "manual", "title": "T", "slug": "t", "audioPath": .string(audio)])
                #expect(report.outcome.errorMessage?.contains("is not inside the media folders") == true, "\(audio): \(report.outcome)")
                #expect(report.calls == 1, "\(audio): not retried")
            }
            #expect(!FileManager.default.fileExists(atPath: h.dir.file("whisper-argv.txt")), "the transcriber never ran")
        }

        @Test func nasPathOutsideTheArchiveIsRefused() async throws {
            let h = try FunctionsHarness()
            for nas in ["/etc", h.config.nas.root + "/../elsewhere", h.config.nas.root + "-sibling/x", "relative/2026"] {
                let report = try await h.run("transcript-process", "pipeline/transcript.requested",
                                             ["source": "manual", "title": "T", "slug": "t", "text": "hello", "nasPath": .string(nas)])
                #expect(report.outcome.errorMessage?.contains("is not inside the archive") == true, "\(nas): \(report.outcome)")
            }
            #expect(try h.services.vault.read("Resources/videos/t.md") == nil)
            let remote = FunctionsConfig.withSSHArchive(h.config)
            #expect(throws: Never.self) {
                _ = try TranscriptProcessFunction.confinedPaths(.init(source: "s", title: "t", slug: "t", nasPath: "/archive/2026/./t"),
                                                                config: remote, event: "e")
            }
            #expect(throws: NonRetriableError.self) {
                _ = try TranscriptProcessFunction.confinedPaths(.init(source: "s", title: "t", slug: "t", nasPath: "/archive/../etc"),
                                                                config: remote, event: "e")
            }
        }

        /// An audio file whose name looks like an option reaches the transcriber
        /// after `--`, as a resolved absolute path.
        @Test func transcriberGetsTheAudioAfterDoubleDash() async throws {
            let h = try FunctionsHarness { c, dir in c.transcriberCommand = [try Self.recordingWhisper(dir)] }
            try h.dir.write("scratch/--output-dir=x.mp4", "x")
            let audio = h.config.scratchDir + "/--output-dir=x.mp4"
            let report = try await h.run("transcript-process", "pipeline/transcript.requested",
                                         ["source": "manual", "title": "T", "slug": "t", "audioPath": .string(audio)])
            #expect(report.outcome.output?["status"] == "processed", "\(report.outcome)")
            let argv = try h.dir.read("whisper-argv.txt").split(separator: "\n").map(String.init)
            #expect(argv.suffix(2) == ["--", PathContainment.resolved(audio)], "\(argv)")
        }

        @Test func videoQualityCannotRewriteTheFormatExpression() async throws {
            let h = try FunctionsHarness { c, dir in c.ytDlpCommand = [try writeScript(dir, "yt-dlp", "touch \"$(dirname \"$0\")/ran\"")] }
            for quality in ["1080]/best[ext=mp4", "--exec=id", "", "123456"] {
                let report = try await h.run("video-download", "pipeline/video.requested",
                                             ["url": "https://example.invalid/v", "maxQuality": .string(quality)])
                #expect(report.outcome.errorMessage?.contains("numeric maxQuality") == true, "\(quality): \(report.outcome)")
            }
            #expect(!FileManager.default.fileExists(atPath: h.dir.file("ran")))
        }

        /// A video whose title has no Latin letters is filed under a hash-named
        /// folder and note, not under an empty name (which put the note at
        /// `Resources/videos/.md` and the video in the year folder itself).
        @Test func nonLatinTitleStillGetsItsOwnFolder() async throws {
            let dir = try TemporaryDirectory()
            let ytDlp = try writeScript(dir, "yt-dlp", #"""
            out=""; while [ $# -gt 0 ]; do case "$1" in --output) out="$2"; shift 2;; *) shift;; esac; done
            sub="$(dirname "$out")"; sub="${sub%/*}/東京の話"; mkdir -p "$sub"
            printf '{"title":"東京の話","webpage_url":"https://example.invalid/v"}' > "$sub/東京の話.info.json"
            printf 'video' > "$sub/東京の話.mp4"
            """#)
            let downloader = YtDlpDownloader(command: [ytDlp], runner: ProcessCommandRunner(), timeout: 30)
            let video = try await downloader.download(url: "https://example.invalid/v", maxQuality: "720", into: dir.file("run"))
            #expect(video.slug == Slug.make("東京の話") && video.slug.hasPrefix("untitled-"))
            #expect(video.title == "東京の話")
        }

        /// ffmpeg has no `--`: the video is handed over as `file:<absolute path>`,
        /// which ffmpeg never reads as an option or another protocol.
        @Test func ffmpegReadsTheVideoAsAPlainFile() async throws {
            let dir = try TemporaryDirectory()
            let ffmpeg = try writeScript(dir, "ffmpeg", #"printf '%s\n' "$@" > "$(dirname "$0")/ffmpeg.argv"; exit 1"#)
            let grabber = FrameGrabber(ffmpeg: [ffmpeg], runner: ProcessCommandRunner())
            let shots = await grabber.grab([ScreenshotPlan.Shot(seconds: 3, name: "x")], from: dir.file("concat:a|b.mp4"), into: dir.file("frames"))
            #expect(shots.isEmpty)
            let argv = try dir.read("ffmpeg.argv").split(separator: "\n").map(String.init)
            let input = try #require(argv.firstIndex(of: "-i").map { argv[$0 + 1] })
            #expect(input == "file:" + dir.file("concat:a|b.mp4"))
            #expect(argv.last == dir.file("frames/x.jpg"))
        }

        /// An LLM command gets its prompt as an operand even when the text starts
        /// with a dash (`echo -n` would otherwise swallow it as an option).
        @Test func llmCommandPromptNeverBecomesAnOption() async throws {
            let client = CommandLLMClient(command: ["echo"], runner: ProcessCommandRunner(), timeout: 30)
            #expect(try await client.complete(LLMRequest(prompt: "-n --help summarize")) == "-n --help summarize")
        }

        /// An option-looking SSH host (`-oProxyCommand=…` would run a local
        /// command) and file names are operands after `--` for both ssh and scp.
        /// A remote path with shell syntax is refused before anything runs.
        @Test func sshTransferOperandsNeverBecomeOptions() async throws {
            let dir = try TemporaryDirectory()
            try dir.write("run/-oProxyCommand=x.mp4", "x")
            let record = #"printf '%s\n' "$@" >> "$(dirname "$0")/$(basename "$0").argv""#
            let transfer = NASFileTransfer(destination: .ssh(host: "-oProxyCommand=touch /tmp/pwned", root: "/archive"),
                                           ssh: [try writeScript(dir, "ssh", record)], scp: [try writeScript(dir, "scp", record)],
                                           runner: ProcessCommandRunner(), timeout: 30)
            try await transfer.copyContents(of: dir.file("run"), to: "/archive/2026/a")
            let ssh = try dir.read("ssh.argv").split(separator: "\n").map(String.init)
            #expect(ssh == ["-o", "BatchMode=yes", "--", "-oProxyCommand=touch /tmp/pwned", "mkdir -p -- /archive/2026/a"])
            let scp = try dir.read("scp.argv").split(separator: "\n").map(String.init)
            #expect(scp == ["-o", "BatchMode=yes", "-p", "-q", "--", dir.file("run/-oProxyCommand=x.mp4"),
                            "-oProxyCommand=touch /tmp/pwned:/archive/2026/a/"])

            let plain = NASFileTransfer(destination: .ssh(host: "user@127.0.0.1", root: "/archive"), ssh: ["/nonexistent/ssh"],
                                        scp: ["/nonexistent/scp"], runner: ProcessCommandRunner(), timeout: 30)
            for path in ["/archive/x; touch /tmp/pwned", "/archive/$(id)", "/archive/a b", "relative/x", "/archive/`id`"] {
                await #expect(throws: FileTransferError.unsafeRemotePath(path)) { try await plain.copyContents(of: dir.file("run"), to: path) }
            }
        }
    }
}

extension FunctionsConfig {
    /// `config` archiving to `/archive` on an SSH host.
    static func withSSHArchive(_ config: FunctionsConfig) -> FunctionsConfig {
        var c = config
        c.nas = .ssh(host: "nas.invalid", root: "/archive")
        return c
    }
}
