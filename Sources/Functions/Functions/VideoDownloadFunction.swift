import Foundation
import InngestProtocol
import JSON

/// `video-download` (`pipeline/video.requested {url, maxQuality?}`):
/// download with yt-dlp, archive on the NAS, log it, and ask for a transcript.
public enum VideoDownloadFunction {
    public static let id = "video-download"

    struct Input: Decodable {
        var url: String
        var maxQuality: String?
    }

    public static func make(_ services: FunctionServices) -> InngestFunction {
        InngestFunction(id: id, name: "Video download", triggers: [.event("pipeline/video.requested")],
                        config: FunctionConfiguration(retries: 2, concurrency: [.init(limit: 1)])) { ctx in
            let input = try FunctionInput.decode(Input.self, from: ctx.event)
            let url = try FunctionInput.require(input.url, "url", in: ctx.event)
            guard let scheme = URL(string: url)?.scheme?.lowercased(), ["http", "https"].contains(scheme) else {
                throw NonRetriableError("pipeline/video.requested needs an http(s) url, got \"\(url)\"")
            }
            // The quality goes into yt-dlp's format expression: digits only, so
            // an event cannot rewrite the expression.
            let maxQuality = input.maxQuality ?? "1080"
            guard (1...5).contains(maxQuality.count), maxQuality.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw NonRetriableError("pipeline/video.requested needs a numeric maxQuality (e.g. 1080), got \"\(maxQuality)\"")
            }
            let config = services.config

            let video = try await ctx.step.run("download") {
                let downloader = YtDlpDownloader(command: config.ytDlpCommand, runner: services.commands, timeout: config.commandTimeout)
                return try await downloader.download(url: url, maxQuality: maxQuality,
                                                     into: "\(config.scratchDir)/video-ingest/\(ctx.runId)")
            }

            let nasPath = try await ctx.step.run("transfer-to-nas") {
                // The processing year, as the archive's existing folders are filed.
                let destination = "\(config.nas.root)/\(TimeFormat.utcYear(services.now()))/\(video.slug)"
                try await services.transfer.copyContents(of: video.dir, to: destination)
                return destination
            }

            try await ctx.step.run("log-download") {
                try services.log(id: "run:\(ctx.runId):log-download", action: "download", tool: id,
                                 detail: video.channel.isEmpty ? "\(video.title) (\(video.duration))"
                                     : "\(video.title) from \(video.channel) (\(video.duration))",
                                 reason: "video download via inngest")
            }

            var downloaded: JSON = ["slug": .string(video.slug), "title": .string(video.title), "channel": .string(video.channel),
                                    "duration": .string(video.duration), "nasPath": .string(nasPath), "tmpDir": .string(video.tmpDir),
                                    "sourceUrl": .string(video.sourceUrl)]
            downloaded["publishedDate"] = video.publishedDate.map { .string($0) }
            var transcript: JSON = ["source": "youtube", "audioPath": .string(video.audioPath), "title": .string(video.title),
                                    "slug": .string(video.slug), "channel": .string(video.channel), "duration": .string(video.duration),
                                    "sourceUrl": .string(video.sourceUrl), "nasPath": .string(nasPath), "tmpDir": .string(video.tmpDir)]
            transcript["publishedDate"] = video.publishedDate.map { .string($0) }
            try await ctx.step.sendEvent("emit-events", [
                InngestEvent(name: "pipeline/video.downloaded", data: downloaded),
                InngestEvent(name: "pipeline/transcript.requested", data: transcript),
            ])

            try await ctx.step.run("push-gateway-event") {
                await services.notify("media.downloaded", ["slug": .string(video.slug), "title": .string(video.title),
                                                           "nasPath": .string(nasPath)])
            }

            return VideoDownloadResult(slug: video.slug, title: video.title, channel: video.channel, nasPath: nasPath,
                                       status: "downloaded")
        }
    }
}

public struct VideoDownloadResult: Codable, Sendable, Equatable {
    public var slug: String
    public var title: String
    public var channel: String
    public var nasPath: String
    public var status: String
}
