/// The `## Videos` list in `Daily/<date>.md`.
public enum DailyNote {
    /// `- [[<slug>]] — <title> by <channel or source>[ · <duration>]`
    public static func videoLine(slug: String, title: String, by: String, duration: String?) -> String {
        "- [[\(slug)]] — \(title) by \(by)" + (duration.map { $0.isEmpty ? "" : " · \($0)" } ?? "")
    }

    /// The note with `line` at the end of its `## Videos` section: the note
    /// and the section are created when missing, and a note that already
    /// lists the same `[[slug]]` is returned unchanged (a retried step must
    /// not add a second line). The line goes into the section even when other
    /// sections follow it, not at the end of the note.
    public static func adding(_ line: String, slug: String, to note: String?, date: String) -> String {
        var text = note ?? "---\ntype: daily\ndate: \(date)\n---\n\n# \(date)\n\n## Videos\n"
        if text.contains("- [[\(slug)]]") { return text }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if !lines.contains("## Videos") {
            if !text.hasSuffix("\n") { text += "\n" }
            text += "\n## Videos\n"
            lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        let heading = lines.firstIndex(of: "## Videos")!
        var end = lines[(heading + 1)...].firstIndex { $0.hasPrefix("#") && !$0.hasPrefix("###") } ?? lines.count
        while end > heading + 1, lines[end - 1].trimmingCharacters(in: .whitespaces).isEmpty { end -= 1 }
        var insert = [line]
        if end == heading + 1 { insert.insert("", at: 0) }
        lines.insert(contentsOf: insert, at: end)
        var result = lines.joined(separator: "\n")
        if !result.hasSuffix("\n") { result += "\n" }
        return result
    }
}
