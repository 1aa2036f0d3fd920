/// Everything a transcript note shows.
public struct VideoNoteContent: Sendable, Equatable {
    public var title: String
    public var slug: String
    /// `youtube`, `podcast`, `granola`, `fathom`, `manual`, `meeting`…
    public var source: String
    public var sourceURL: String?
    public var channel: String?
    public var publishedDate: String?
    public var duration: String?
    public var nasPath: String?
    /// `YYYY-MM-DD` (UTC) of transcription.
    public var transcribedDate: String
    public var transcript: Transcript
    /// Frames kept for the note, shown in their own section until enrichment places them.
    public var screenshots: [NoteScreenshot]

    public init(title: String, slug: String, source: String, sourceURL: String?, channel: String?, publishedDate: String?,
                duration: String?, nasPath: String?, transcribedDate: String, transcript: Transcript,
                screenshots: [NoteScreenshot] = []) {
        self.screenshots = screenshots
        self.title = title
        self.slug = slug
        self.source = source
        self.sourceURL = sourceURL
        self.channel = channel
        self.publishedDate = publishedDate
        self.duration = duration
        self.nasPath = nasPath
        self.transcribedDate = transcribedDate
        self.transcript = transcript
    }
}

/// A frame in the note: file name (in `<slug>/`), description, `MM:SS`.
public struct NoteScreenshot: Sendable, Equatable, Codable {
    public var file: String
    public var altText: String
    public var timestamp: String

    public init(file: String, altText: String, timestamp: String) {
        self.file = file
        self.altText = altText
        self.timestamp = timestamp
    }
}

/// Renders `Resources/videos/<slug>.md` in the layout the vault's existing
/// video notes have: frontmatter,
/// an info callout, the summary placeholder that `content-summarize` fills,
/// and the transcript in a collapsed callout with a time marker every two minutes.
public enum VideoNote {
    public static let summaryPlaceholder = "<!-- TODO: enrichment via content/summarize -->"

    public static func render(_ c: VideoNoteContent) -> String {
        let type = ["youtube", "podcast"].contains(c.source) ? "video" : "transcript"
        var lines = ["---", "type: \(type)"]
        func field(_ key: String, _ value: String?) {
            if let value, !value.isEmpty { lines.append("\(key): \(YAMLScalar.plain(value))") }
        }
        field("source", c.sourceURL)
        field("channel", c.channel)
        field("published", c.publishedDate)
        if let d = c.duration, !d.isEmpty { lines.append("duration: \(YAMLScalar.quoted(d))") }
        field("nas_path", c.nasPath)
        lines.append("transcribed: \(c.transcribedDate)")
        lines += ["tags:", "  - \(YAMLScalar.plain(type))", "  - \(YAMLScalar.plain(c.source))", "---", "", "# \(c.title)", ""]

        var meta: [String] = []
        if let v = c.channel, !v.isEmpty { meta.append("**Channel**: \(v)") }
        if let v = c.publishedDate, !v.isEmpty { meta.append("**Published**: \(v)") }
        if let v = c.duration, !v.isEmpty { meta.append("**Duration**: \(v)") }
        let url = c.sourceURL.flatMap { $0.isEmpty ? nil : $0 }
        if !meta.isEmpty || url != nil {
            lines.append("> [!info] Source")
            if !meta.isEmpty { lines.append("> " + meta.joined(separator: " · ")) }
            if let url { lines.append("> **URL**: \(url)") }
            lines.append("")
        }
        lines += ["## Executive Summary", "", summaryPlaceholder, ""]
        if !c.screenshots.isEmpty {
            lines += ["## Screenshots (place inline during enrichment)", ""]
            lines += c.screenshots.map { shot in
                let alt = String(shot.altText.replacingOccurrences(of: "\"", with: "'").prefix(200))
                return "![\(alt)](\(c.slug)/\(shot.file)) <!-- \(shot.timestamp) -->"
            }
            lines.append("")
        }
        lines += ["## Full Transcript", "",
                  "> [!note]- Transcript", ">" + formatTranscript(c.transcript)]
        return lines.joined(separator: "\n") + "\n"
    }

    /// `\n>\n> **[MM:SS]**` before the first segment and whenever 120 s have
    /// passed since the last marker; segment texts are concatenated as whisper
    /// wrote them (they usually start with a space).
    static func formatTranscript(_ t: Transcript) -> String {
        guard !t.segments.isEmpty else {
            return t.text.split(separator: "\n", omittingEmptySubsequences: false).map { "\n> " + $0 }.joined()
        }
        var out = ""
        var lastMarker: Double? = nil
        for segment in t.segments {
            if lastMarker == nil || segment.start - lastMarker! >= 120 {
                out += "\n>\n> **[\(TimeFormat.mmss(segment.start))]**"
                lastMarker = segment.start
            }
            out += segment.text.replacingOccurrences(of: "\n", with: " ")
        }
        return out
    }
}

/// Minimal YAML scalar quoting for frontmatter values: plain when safe (so
/// the common case looks like the existing notes), double-quoted otherwise.
enum YAMLScalar {
    static func plain(_ s: String) -> String {
        let special: Set<Character> = ["-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`"]
        let needsQuotes = s.isEmpty || s.first.map { special.contains($0) || $0 == " " } == true || s.last == " "
            || s.contains(": ") || s.contains(" #") || s.contains("\n") || s.hasSuffix(":")
            || ["true", "false", "null", "yes", "no", "~"].contains(s.lowercased())
        return needsQuotes ? quoted(s) : s
    }

    static func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
