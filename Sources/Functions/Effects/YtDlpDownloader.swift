import Foundation
import Subprocess
import InngestProtocol

/// A finished download: where it is and what it is.
public struct DownloadedVideo: Codable, Sendable, Equatable {
    /// This run's scratch directory (removed by transcript-process when done).
    public var tmpDir: String
    /// The folder yt-dlp created inside it (video, info.json, thumbnail).
    public var dir: String
    public var title: String
    public var slug: String
    public var channel: String
    public var publishedDate: String?
    public var duration: String
    public var sourceUrl: String
    public var audioPath: String
}

/// Runs yt-dlp into a run directory and reads back what it produced.
public struct YtDlpDownloader: Sendable {
    let command: [String]
    let runner: any CommandRunner
    let timeout: Double

    public init(command: [String], runner: any CommandRunner, timeout: Double) {
        self.command = command
        self.runner = runner
        self.timeout = timeout
    }

    /// `runDir` is emptied first, so a retried step starts clean and never
    /// picks up a half-written file from the failed attempt.
    public func download(url: String, maxQuality: String, into runDir: String) async throws -> DownloadedVideo {
        let fm = FileManager.default
        try? fm.removeItem(atPath: runDir)
        try fm.createDirectory(atPath: runDir, withIntermediateDirectories: true)
        // `<=?` accepts formats whose height is unknown (direct links), which
        // a plain `<=` would reject.
        let format = "bestvideo[height<=?\(maxQuality)]+bestaudio/best[height<=?\(maxQuality)]/best"
        let result = try await runner.run(Command(command + [
            "-f", format, "--merge-output-format", "mp4", "--write-info-json", "--write-thumbnail",
            "--no-playlist", "--no-progress", "--output", "\(runDir)/%(title)s/%(title)s.%(ext)s",
            "--", url,  // `--`: a URL can never be read as an option
        ], timeout: timeout))

        guard let sub = try fm.contentsOfDirectory(atPath: runDir).sorted().first(where: { name in
            var isDir: ObjCBool = false
            return fm.fileExists(atPath: runDir + "/" + name, isDirectory: &isDir) && isDir.boolValue
        }) else {
            throw DownloadError.nothingDownloaded(exitCode: result.exitCode, stderr: Self.tail(result.stderrText))
        }
        let dir = runDir + "/" + sub
        let files = try fm.contentsOfDirectory(atPath: dir).sorted()
        guard let info = files.first(where: { $0.hasSuffix(".info.json") }) else {
            // yt-dlp ran but produced no metadata: retrying will not change that.
            throw NonRetriableError("No .info.json found in \(dir) (yt-dlp exit \(result.exitCode): \(Self.tail(result.stderrText)))")
        }
        guard let video = files.first(where: { $0.hasSuffix(".mp4") && !$0.hasSuffix(".part.mp4") }) else {
            throw DownloadError.noVideo(exitCode: result.exitCode, stderr: Self.tail(result.stderrText))
        }
        let meta = try VideoInfo(infoJSON: [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/" + info))), requestedURL: url)
        return DownloadedVideo(tmpDir: runDir, dir: dir, title: meta.title, slug: Slug.make(meta.title), channel: meta.channel,
                               publishedDate: meta.publishedDate, duration: meta.duration, sourceUrl: meta.sourceURL,
                               audioPath: dir + "/" + video)
    }

    static func tail(_ text: String) -> String {
        text.split(separator: "\n").suffix(3).joined(separator: " | ")
    }
}

public enum DownloadError: Error, Sendable, Equatable, CustomStringConvertible {
    case nothingDownloaded(exitCode: Int32, stderr: String)
    case noVideo(exitCode: Int32, stderr: String)

    public var description: String {
        switch self {
        case .nothingDownloaded(let code, let stderr): return "yt-dlp did not create a subdirectory (exit \(code)): \(stderr)"
        case .noVideo(let code, let stderr): return "No .mp4 found after download (exit \(code)): \(stderr)"
        }
    }
}
