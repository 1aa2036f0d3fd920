import Support

/// Each loop's stories, attempts, tools and outcomes.
struct LoopsPage: Sendable {
    func body(loops: [ConsoleLoop]?, problem: String?) -> String {
        var out = "<h1>Loops</h1>"
        if let problem { out += "<p class=\"error\">\(HTML.escape(problem))</p>" }
        guard let loops else { return out + "<p class=\"muted\">No loop state store is configured for this worker.</p>" }
        if loops.isEmpty { return out + "<p class=\"muted\">No loops yet.</p>" }
        for loop in loops {
            out += "<div class=\"card\"><h2>\(HTML.escape(loop.title)) <span class=\"badge \(HTML.escape(loop.status))\">\(HTML.escape(loop.status))</span></h2>"
            out += "<p class=\"muted\"><code>\(HTML.escape(loop.id))</code> · \(HTML.escape(loop.project)) · started \(HTML.escape(String(UTCTimestamp.rfc3339(milliseconds: loop.createdAt, alwaysMilliseconds: false).prefix(19))))"
            out += loop.reason.map { " · \(HTML.escape($0))" } ?? ""
            out += "</p><div class=\"scroll\"><table><thead><tr><th>Story</th><th>State</th><th>Attempts</th><th>Tool</th><th class=\"wide\">Last result</th></tr></thead><tbody>"
            for s in loop.stories {
                out += "<tr><td>\(HTML.escape(s.id)) \(HTML.escape(s.title))</td><td>\(HTML.escape(s.status))</td><td>\(s.attempts)</td>"
                out += "<td>\(HTML.escape(s.tool ?? "–"))</td><td class=\"wide\">\(HTML.escape(String((s.lastResult ?? "–").prefix(300))))</td></tr>"
            }
            out += "</tbody></table></div></div>"
        }
        return out
    }
}
