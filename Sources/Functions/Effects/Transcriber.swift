import Foundation
import Subprocess

/// Turns an audio or video file into a timed transcript. The one real
/// implementation is `CommandTranscriber` (mlx_whisper by default).
public protocol Transcriber: Sendable {
    /// `outputDirectory` is an empty directory owned by this call.
    func transcribe(audioPath: String, outputDirectory: String) async throws -> Transcript
}

/// Runs `<command> --model M --output-format json --output-dir D -- <audio>` and
/// reads the JSON it writes. Each call gets its own output directory, so a
/// stale file from an earlier run can never be picked up (as it could from a
/// shared directory).
public struct CommandTranscriber: Transcriber {
    let command: [String]
    let model: String
    let runner: CommandRunner
    let timeout: Double

    public init(command: [String], model: String, runner: CommandRunner, timeout: Double) {
        self.command = command
        self.model = model
        self.runner = runner
        self.timeout = timeout
    }

    public func transcribe(audioPath: String, outputDirectory: String) async throws -> Transcript {
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        try await runner.runChecked(Command(command + ["--model", model, "--output-format", "json",
                                                      "--output-dir", outputDirectory,
                                                      "--", audioPath],  // `--`: a file name is never read as an option
                                            timeout: timeout))
        let output = try FileManager.default.contentsOfDirectory(atPath: outputDirectory).sorted()
            .first { $0.hasSuffix(".json") && !$0.hasSuffix(".info.json") }
        guard let output, let data = FileManager.default.contents(atPath: outputDirectory + "/" + output) else {
            throw TranscriptError.noOutput(directory: outputDirectory)
        }
        return try Transcript(whisperJSON: [UInt8](data))
    }
}
