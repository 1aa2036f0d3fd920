import JSON

/// The facts the pipeline takes from yt-dlp's `.info.json`.
public struct VideoInfo: Sendable, Equatable {
    public var title: String
    /// `channel`, else `uploader`, else empty.
    public var channel: String
    /// `YYYY-MM-DD`, nil when yt-dlp gave no `upload_date`.
    public var publishedDate: String?
    /// `HH:MM:SS`.
    public var duration: String
    /// `webpage_url`, else the requested URL.
    public var sourceURL: String

    public init(title: String, channel: String, publishedDate: String?, duration: String, sourceURL: String) {
        self.title = title
        self.channel = channel
        self.publishedDate = publishedDate
        self.duration = duration
        self.sourceURL = sourceURL
    }

    /// Parses the info file; a missing title is a malformed download.
    public init(infoJSON bytes: [UInt8], requestedURL: String) throws {
        let json: JSON
        do { json = try JSON(parsing: bytes) } catch { throw TranscriptError.malformed("info.json is not JSON: \(error)") }
        guard let title = json["title"]?.stringValue, !title.isEmpty else {
            throw TranscriptError.malformed("info.json has no title")
        }
        self.title = title
        self.channel = json["channel"]?.stringValue ?? json["uploader"]?.stringValue ?? ""
        self.publishedDate = json["upload_date"]?.stringValue.flatMap(TimeFormat.isoDate(fromCompact:))
        self.duration = TimeFormat.hms(json["duration"]?.doubleValue ?? 0)
        self.sourceURL = json["webpage_url"]?.stringValue ?? requestedURL
    }
}
