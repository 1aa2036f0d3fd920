import JSON

/// The runs list: newest first, filtered by function, status and start time,
/// its rows refreshed in place while the first page is shown.
struct RunsPage: Sendable {
    struct Filter: Sendable, Equatable {
        var functionID: String?
        var status: String?
        /// `1h`, `24h`, `7d` or `all`.
        var since = "24h"
        var cursor: String?

        static let statuses = ["Running", "Completed", "Failed", "Cancelled"]
        static let windows: [(String, String, Int64?)] = [("1h", "last hour", 3_600_000), ("24h", "last 24 h", 86_400_000),
                                                          ("7d", "last 7 days", 604_800_000), ("all", "all time", nil)]

        /// Reads the page's query; unknown values fall back to the defaults (they only choose a view).
        init(query: (String) -> String?) {
            functionID = query("function").flatMap { $0.isEmpty || $0.utf8.count > 256 ? nil : $0 }
            status = query("status").flatMap { Self.statuses.contains($0) ? $0 : nil }
            if let since = query("since"), Self.windows.contains(where: { $0.0 == since }) { self.since = since }
            cursor = query("cursor").flatMap { $0.isEmpty || $0.utf8.count > 200 ? nil : $0 }
        }

        init() {}

        func fromMilliseconds(now: Int64) -> Int64? {
            Self.windows.first { $0.0 == since }?.2.map { now - $0 }
        }

        /// The query string for these filters (without the cursor unless `cursor` is given).
        func query(cursor: String? = nil, extra: String = "") -> String {
            var parts: [String] = []
            if let functionID { parts.append("function=" + HTML.queryValue(functionID)) }
            if let status { parts.append("status=" + HTML.queryValue(status)) }
            parts.append("since=" + HTML.queryValue(since))
            if let cursor { parts.append("cursor=" + HTML.queryValue(cursor)) }
            if !extra.isEmpty { parts.append(extra) }
            return parts.joined(separator: "&")
        }
    }

    let prefix: String
    let now: Int64

    /// `note`: a warning about the rows (some could not be read), shown as
    /// their last row so it stays with them when they refresh in place.
    func body(runs: [JSON], next: String?, filter: Filter, functionIDs: [String], error: String?, note: String? = nil) -> String {
        var options = "<option value=\"\">all functions</option>"
        for id in functionIDs {
            options += "<option value=\"\(HTML.escape(id))\"\(id == filter.functionID ? " selected" : "")>\(HTML.escape(id))</option>"
        }
        var statusOptions = "<option value=\"\">any status</option>"
        for s in Filter.statuses { statusOptions += "<option\(s == filter.status ? " selected" : "")>\(s)</option>" }
        var windowOptions = ""
        for (value, label, _) in Filter.windows {
            windowOptions += "<option value=\"\(value)\"\(value == filter.since ? " selected" : "")>\(label)</option>"
        }
        let live = filter.cursor == nil ? " data-live=\"\(prefix)/runs?\(filter.query(extra: "fragment=rows"))\"" : ""
        let more = next.map { "<p><a href=\"\(prefix)/runs?\(HTML.escape(filter.query(cursor: $0)))\">Older runs →</a></p>" } ?? ""
        let problem = error.map { "<p class=\"error\">\(HTML.escape($0))</p>" } ?? ""
        return """
        <h1>Runs</h1>\(problem)
        <form class="filters" method="get" action="\(prefix)/runs">
        <label>Function<br><select name="function">\(options)</select></label>
        <label>Status<br><select name="status">\(statusOptions)</select></label>
        <label>Started<br><select name="since">\(windowOptions)</select></label>
        <button>Filter</button></form>
        <div class="scroll"><table><thead><tr><th>Function</th><th>Status</th><th>Started</th><th>Duration</th><th class="wide">Event</th></tr></thead>
        <tbody id="runs"\(live)>\(rows(runs, note: note))</tbody></table></div>\(more)
        """
    }

    /// The table rows alone: the live-update fragment.
    func rows(_ runs: [JSON], note: String? = nil) -> String {
        let warning = note.map { "<tr><td colspan=\"5\" class=\"error\">\(HTML.escape($0))</td></tr>" } ?? ""
        if runs.isEmpty { return "<tr><td colspan=\"5\" class=\"muted\">No runs match.</td></tr>" + warning }
        var out = ""
        for run in runs {
            let id = run["id"]?.stringValue ?? run["run_id"]?.stringValue ?? ""
            let status = run["status"]?.stringValue ?? ""
            let function = run["function_slug"]?.stringValue ?? run["function_id"]?.stringValue ?? ""
            let eventName = run["event_name"]?.stringValue ?? ""
            out += "<tr data-run=\"\(HTML.escape(id))\"><td><a href=\"\(prefix)/runs/\(HTML.escape(HTML.queryValue(id)))\">\(HTML.escape(function))</a></td>"
            out += "<td><span class=\"badge \(HTML.escape(status))\">\(HTML.escape(status))</span></td>"
            out += "<td>\(HTML.escape(ConsoleFormat.time(run["started_at"] ?? run["queued_at"])))</td>"
            out += "<td>\(HTML.escape(ConsoleFormat.duration(from: run["started_at"] ?? run["queued_at"], to: run["ended_at"], now: now)))</td>"
            out += "<td class=\"wide\">\(HTML.escape(eventName))</td></tr>"
        }
        return out + warning
    }
}
