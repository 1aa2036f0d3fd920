/// Puts an LLM-written summary into a note in place of its summary section,
/// leaving frontmatter, the info callout, screenshots and the transcript as
/// they were. Applying the same summary twice gives the same note.
public enum SummaryMerge {
    /// The sections the summary may contain; everything from `## Executive
    /// Summary` through these is replaced on each enrichment.
    public static let generatedHeadings: Set<String> = ["## Executive Summary", "## Key Points", "## Speaker Context",
                                                        "## Notable Quotes", "## Related", "## Tags"]

    /// The model's answer as note sections: code fences removed, a missing
    /// `## Executive Summary` heading added, anything from a transcript
    /// heading on dropped.
    public static func clean(_ answer: String) -> String {
        var lines = answer.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.first?.hasPrefix("```") == true { lines.removeFirst() }
        if lines.last?.hasPrefix("```") == true { lines.removeLast() }
        if let cut = lines.firstIndex(where: { $0.hasPrefix("## Full Transcript") || $0.hasPrefix("## Screenshots") || $0 == "---" }) {
            lines = Array(lines[..<cut])
        }
        var text = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        if !text.hasPrefix("## Executive Summary") { text = "## Executive Summary\n\n" + text }
        return text
    }

    public static func apply(summary: String, to note: String) -> String {
        let section = clean(summary)
        var lines = note.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let start = lines.firstIndex(of: "## Executive Summary") {
            var end = start + 1
            while end < lines.count, !(lines[end].hasPrefix("## ") && !generatedHeadings.contains(lines[end])) { end += 1 }
            lines.replaceSubrange(start..<end, with: [section, ""])
        } else if let transcript = lines.firstIndex(where: { $0.hasPrefix("## Full Transcript") }) {
            lines.insert(contentsOf: [section, ""], at: transcript)
        } else {
            if lines.last == "" { lines.removeLast() }
            lines += ["", section, ""]
        }
        return lines.joined(separator: "\n")
    }

    /// The first `# ` heading, else the file name without `.md`, else `unknown`.
    public static func title(of note: String, path: String) -> String {
        for line in note.split(separator: "\n") where line.hasPrefix("# ") {
            let t = line.dropFirst(2).trimmingCharacters(in: .whitespaces)
            if !t.isEmpty { return t }
        }
        let base = path.split(separator: "/").last.map(String.init) ?? ""
        let name = base.hasSuffix(".md") ? String(base.dropLast(3)) : base
        return name.isEmpty ? "unknown" : name
    }
}
