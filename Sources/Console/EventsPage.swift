import JSON

/// The recent event stream, each event linking to the runs it started.
struct EventsPage: Sendable {
    let prefix: String

    func body(events: [JSON], next: String?, name: String?, firstPage: Bool, error: String?) -> String {
        let problem = error.map { "<p class=\"error\">\(HTML.escape($0))</p>" } ?? ""
        var out = """
        <h1>Events</h1>\(problem)<form class="filters" method="get" action="\(prefix)/events">
        <label>Name<br><input name="name" value="\(HTML.escape(name ?? ""))"></label><button>Filter</button></form>
        <div class="scroll"><table><thead><tr><th>Event</th><th>Received</th><th class="wide">Data</th></tr></thead>
        <tbody id="events"\(firstPage ? " data-live=\"\(prefix)/events?\(name.map { "name=" + HTML.escape(HTML.queryValue($0)) + "&amp;" } ?? "")fragment=rows\" data-every=\"3000\"" : "")>
        """
        out += rows(events) + "</tbody></table></div>"
        if let next {
            out += "<p><a href=\"\(prefix)/events?\(name.map { "name=" + HTML.escape(HTML.queryValue($0)) + "&amp;" } ?? "")cursor=\(HTML.escape(HTML.queryValue(next)))\">Older events →</a></p>"
        }
        return out
    }

    func rows(_ events: [JSON]) -> String {
        if events.isEmpty { return "<tr><td colspan=\"3\" class=\"muted\">No events.</td></tr>" }
        var out = ""
        for event in events {
            let id = event["internal_id"]?.stringValue ?? event["id"]?.stringValue ?? ""
            var data = (event["data"] ?? .null).serialized()
            if data.count > 160 { data = String(data.prefix(160)) + "…" }
            out += "<tr><td><a href=\"\(prefix)/events/\(HTML.escape(HTML.queryValue(id)))\">\(HTML.escape(event["name"]?.stringValue ?? ""))</a></td>"
            out += "<td>\(HTML.escape(ConsoleFormat.time(event["received_at"])))</td><td class=\"wide\"><code>\(HTML.escape(data))</code></td></tr>"
        }
        return out
    }

    /// One event with its runs.
    func detail(eventID: String, event: JSON, runs: [JSON], now: Int64) -> String {
        let runRows = RunsPage(prefix: prefix, now: now).rows(runs.map { run in
            var r = run.objectValue ?? JSONObject()
            if r["started_at"] == nil { r["started_at"] = run["run_started_at"] }
            return .object(r)
        })
        return """
        <h1>Event <code>\(HTML.escape(event["name"]?.stringValue ?? eventID))</code></h1>
        <pre id="event-body">\(HTML.escape(ConsoleFormat.pretty(event)))</pre>
        <h2>Runs it started</h2><div class="scroll"><table><thead><tr><th>Function</th><th>Status</th><th>Started</th><th>Duration</th><th class="wide">Event</th></tr></thead>
        <tbody data-live="\(prefix)/events/\(HTML.escape(HTML.queryValue(eventID)))?fragment=runs">\(runRows)</tbody></table></div>
        """
    }
}
