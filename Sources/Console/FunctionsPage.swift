import JSON

/// The functions the worker serves: triggers, flow control, runs in the last
/// 24 h and failure rate, and a form to send a test event.
struct FunctionsPage: Sendable {
    struct Stats: Sendable {
        var runs: Int
        var runsCapped: Bool
        var failed: Int
    }

    let prefix: String

    /// `functions` are the synced configurations (`id`, `name`, `triggers`,
    /// flow-control keys); `stats` is keyed by function id.
    func body(functions: [JSON], stats: [String: Stats], csrf: String, sendError: String?, draft: (name: String, data: String)?) -> String {
        var eventNames: [String] = []
        for f in functions {
            for t in f["triggers"]?.arrayValue ?? [] {
                if let e = t["event"]?.stringValue, !eventNames.contains(e) { eventNames.append(e) }
            }
        }
        var out = "<h1>Functions</h1>"
        out += sendForm(eventNames: eventNames, csrf: csrf, error: sendError, draft: draft)
        out += "<div class=\"scroll\"><table id=\"functions\"><thead><tr><th>Function</th><th>Triggers</th><th class=\"wide\">Flow control</th><th>Runs 24 h</th><th>Failed</th></tr></thead><tbody>"
        for f in functions {
            let id = f["id"]?.stringValue ?? ""
            let triggers = (f["triggers"]?.arrayValue ?? []).map(Self.trigger).joined(separator: "<br>")
            let s = stats[id]
            let runs = s.map { "\($0.runs)\($0.runsCapped ? "+" : "")" } ?? "–"
            let failure = s.map { $0.runs == 0 ? "–" : "\($0.failed) (\(Self.percent($0.failed, of: $0.runs)))" } ?? "–"
            out += "<tr><td><a href=\"\(prefix)/runs?function=\(HTML.escape(HTML.queryValue(id)))\">\(HTML.escape(f["name"]?.stringValue ?? id))</a>"
            out += "<br><code class=\"muted\">\(HTML.escape(id))</code></td><td>\(triggers)</td>"
            out += "<td class=\"wide\">\(Self.flowControl(f))</td><td>\(HTML.escape(runs))</td><td>\(HTML.escape(failure))</td></tr>"
        }
        return out + "</tbody></table></div>"
    }

    private func sendForm(eventNames: [String], csrf: String, error: String?, draft: (name: String, data: String)?) -> String {
        let options = eventNames.map { "<option value=\"\(HTML.escape($0))\">" }.joined()
        let problem = HTML.escape(error ?? "")
        return """
        <div class="card"><h2>Send a test event</h2>
        <form id="send-form" method="post" action="\(prefix)/send" data-json>
        <input type="hidden" name="csrf" value="\(HTML.escape(csrf))">
        <p><label>Event name<br><input name="name" id="event-name" list="event-names" required class="wide-input" value="\(HTML.escape(draft?.name ?? eventNames.first ?? ""))"></label></p>
        <datalist id="event-names">\(options)</datalist>
        <p><label>Data (a JSON object)<br><textarea name="data" id="event-data">\(HTML.escape(draft?.data ?? "{}"))</textarea></label></p>
        <p class="json-error error" id="send-error">\(problem)</p><p><button id="send">Send event</button></p></form></div>
        """
    }

    static func trigger(_ t: JSON) -> String {
        if let event = t["event"]?.stringValue {
            let condition = t["expression"]?.stringValue.map { " <span class=\"muted\">if \(HTML.escape($0))</span>" } ?? ""
            return "<code>\(HTML.escape(event))</code>\(condition)"
        }
        if let cron = t["cron"]?.stringValue { return "cron <code>\(HTML.escape(cron))</code>" }
        return HTML.escape(t.serialized())
    }

    static func flowControl(_ f: JSON) -> String {
        var parts: [String] = []
        for key in ["concurrency", "throttle", "rateLimit", "debounce", "idempotency", "cancel", "batchEvents", "priority", "timeouts", "singleton"] {
            if let value = f[key], !value.isNull { parts.append("<b>\(key)</b> <code>\(HTML.escape(value.serialized()))</code>") }
        }
        if let retries = f["steps"]?["step"]?["retries"]?["attempts"]?.intValue { parts.append("<b>retries</b> \(retries)") }
        return parts.isEmpty ? "<span class=\"muted\">none</span>" : parts.joined(separator: "<br>")
    }

    static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "0%" }
        let tenths = part * 1000 / whole
        return "\(tenths / 10).\(tenths % 10)%"
    }
}
