import Foundation
import InngestProtocol
import JSON

/// `transcript-process` (`pipeline/transcript.requested`): transcribe (or
/// take the given text), write the vault note, list it in the daily note,
/// log, clean up, and ask for a summary.
///
/// Screenshots are grabbed and named from the transcript, but not reviewed by
/// a vision model (every grabbed frame is kept). Not ported: the Typesense/Convex chunk index (the vault note
/// is the record here).
public enum TranscriptProcessFunction {
    public static let id = "transcript-process"

    struct Input: Decodable {
        var source: String
        var title: String
        var slug: String
        var audioPath: String?
        var text: String?
        var channel: String?
        var publishedDate: String?
        var duration: String?
        var sourceUrl: String?
        var nasPath: String?
        var tmpDir: String?
    }

    public static func make(_ services: FunctionServices) -> InngestFunction {
        InngestFunction(id: id, name: "Transcript process", triggers: [.event("pipeline/transcript.requested")],
                        config: FunctionConfiguration(retries: 2, concurrency: [.init(limit: 1)])) { ctx in
            let input = try FunctionInput.decode(Input.self, from: ctx.event)
            guard !input.slug.isEmpty, !input.slug.contains("/"), input.slug != ".", input.slug != ".." else {
                throw NonRetriableError("\(ctx.event.name) has an unusable slug \"\(input.slug)\"")
            }
            let config = services.config
            let (audioPath, nasPath) = try confinedPaths(input, config: config, event: ctx.event.name)
            let workDir = "\(config.scratchDir)/transcripts/\(ctx.runId)"

            // Claim check: the transcript can be megabytes, so the step returns only its path.
            let transcriptPath = try await ctx.step.run("transcribe") {
                let transcript: Transcript
                if let text = input.text, !text.isEmpty {
                    transcript = Transcript(text: text, segments: [])
                } else if let audio = audioPath {
                    let whisperDir = workDir + "/whisper"
                    try? FileManager.default.removeItem(atPath: whisperDir)
                    transcript = try await services.transcriber.transcribe(audioPath: audio, outputDirectory: whisperDir)
                } else {
                    throw NonRetriableError("transcript.process requires either audioPath or text")
                }
                let path = "\(workDir)/\(input.slug)-processed.json"
                try AtomicFile.write(transcript.json.serializedBytes(), to: path)
                return path
            }

            let screenshots = try await ctx.step.run("extract-screenshots") { () -> [NoteScreenshot] in
                guard let video = audioPath, let data = FileManager.default.contents(atPath: transcriptPath) else { return [] }
                let shots = ScreenshotPlan.shots(for: try Transcript(whisperJSON: [UInt8](data)).segments)
                guard !shots.isEmpty else { return [] }
                let frames = workDir + "/screenshots"
                try? FileManager.default.removeItem(atPath: frames)
                let grabbed = await FrameGrabber(ffmpeg: config.ffmpegCommand, runner: services.commands).grab(shots, from: video, into: frames)
                guard !grabbed.isEmpty else { return [] }
                // Next to the note in the vault, never elsewhere under $HOME …
                let vaultDir = try FileVault(root: services.vault.root, lockDirectory: services.config.runDir + "/locks").absolutePath("Resources/videos/\(input.slug)")
                for shot in grabbed {
                    let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(frames)/\(shot.name).jpg"))
                    try AtomicFile.write([UInt8](bytes), to: "\(vaultDir)/\(shot.name).jpg")
                }
                // … and beside the archived video, best effort.
                if let nas = nasPath {
                    _ = try? await services.transfer.copyContents(of: frames, to: nas + "/screenshots")
                }
                return grabbed.map { NoteScreenshot(file: "\($0.name).jpg", altText: $0.name.replacingOccurrences(of: "-", with: " "),
                                                    timestamp: TimeFormat.mmss($0.seconds)) }
            }

            let vaultPath = try await ctx.step.run("create-vault-note") {
                guard let data = FileManager.default.contents(atPath: transcriptPath) else {
                    throw NonRetriableError("the transcript file \(transcriptPath) is gone")
                }
                let note = VideoNote.render(VideoNoteContent(
                    title: input.title, slug: input.slug, source: input.source, sourceURL: input.sourceUrl,
                    channel: input.channel, publishedDate: input.publishedDate, duration: input.duration,
                    nasPath: nasPath, transcribedDate: TimeFormat.utcDay(services.now()),
                    transcript: try Transcript(whisperJSON: [UInt8](data)), screenshots: screenshots))
                return try services.vault.write("Resources/videos/\(input.slug).md", note)
            }

            try await ctx.step.run("update-daily-note") {
                let day = TimeFormat.utcDay(services.now())
                let by = input.channel.flatMap { $0.isEmpty ? nil : $0 } ?? input.source
                let line = DailyNote.videoLine(slug: input.slug, title: input.title, by: by, duration: input.duration)
                try services.vault.update("Daily/\(day).md") { DailyNote.adding(line, slug: input.slug, to: $0, date: day) }
            }

            try await ctx.step.run("log-and-cleanup") {
                try services.log(id: "run:\(ctx.runId):transcribe", action: "transcribe", tool: id,
                                 detail: "\(input.title) (\(input.source))", reason: "transcript processing via inngest")
                try? FileManager.default.removeItem(atPath: workDir)
                // Only ever delete inside our own scratch space, whatever the event says.
                if let tmp = input.tmpDir, PathContainment.isInside(tmp, config.scratchDir) {
                    try? FileManager.default.removeItem(atPath: tmp)
                }
            }

            try await ctx.step.sendEvent("emit-events", [
                InngestEvent(name: "pipeline/transcript.processed",
                             data: ["vaultPath": .string(vaultPath), "title": .string(input.title), "slug": .string(input.slug),
                                    "source": .string(input.source)]),
                InngestEvent(name: "content/summarize.requested", data: ["vaultPath": .string(vaultPath)]),
            ])

            try await ctx.step.run("push-gateway-event") {
                await services.notify("media.transcribed", ["title": .string(input.title), "vaultPath": .string(vaultPath)])
            }

            return TranscriptProcessResult(vaultPath: vaultPath, title: input.title, slug: input.slug, source: input.source,
                                           status: "processed")
        }
    }
}

extension TranscriptProcessFunction {
    /// The event's `audioPath` (read by the transcriber and ffmpeg) and `nasPath`
    /// (written to) confined to their folders: the audio to
    /// `FunctionsConfig.mediaInputRoots` after links are resolved, the archive
    /// path to the archive root (lexically when it is on an SSH host). Empty
    /// means absent; anything else outside fails the run at once.
    static func confinedPaths(_ input: Input, config: FunctionsConfig, event: String) throws -> (audio: String?, nas: String?) {
        var audio: String?
        if let given = input.audioPath, !given.isEmpty {
            guard let inside = PathContainment.confined(given, to: config.mediaInputRoots) else {
                throw NonRetriableError("\(event): audioPath \"\(given)\" is not inside the media folders "
                                        + "(\(config.mediaInputRoots.joined(separator: ", ")))")
            }
            audio = inside
        }
        var nas: String?
        if let given = input.nasPath, !given.isEmpty {
            let inside: Bool
            switch config.nas {
            case .local(let root): inside = PathContainment.isInside(given, root, allowingRoot: true)
            case .ssh(_, let root): inside = PathContainment.isInsideLexically(given, root, allowingRoot: true)
            }
            guard inside else {
                throw NonRetriableError("\(event): nasPath \"\(given)\" is not inside the archive \(config.nas.root)")
            }
            nas = PathContainment.lexicallyNormalized(given)
        }
        return (audio, nas)
    }
}

public struct TranscriptProcessResult: Codable, Sendable, Equatable {
    public var vaultPath: String
    public var title: String
    public var slug: String
    public var source: String
    public var status: String
}
