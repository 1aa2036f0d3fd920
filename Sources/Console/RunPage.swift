import JSON

/// One run: its event, each step on a timeline (name, kind, start, duration,
/// attempts, output or error; sleeps and waits shown as such), the result,
/// and the cancel / re-run buttons. Refreshed in place while it runs.
struct RunPage: Sendable {
    let prefix: String
    let now: Int64

    /// `run` is `/v1/runs/{id}` data, `trace` the `/trace` root span (nil when the
    /// server has no trace endpoint), `event` the triggering event.
    func body(runID: String, run: JSON, trace: JSON?, event: JSON?, csrf: String) -> String {
        let status = trace?["status"]?.stringValue ?? run["status"]?.stringValue ?? ""
        let live = status == "Running" ? " data-live=\"\(prefix)/runs/\(HTML.escape(HTML.queryValue(runID)))?fragment=detail\" data-every=\"1000\"" : ""
        return "<div id=\"run\"\(live)>" + detail(runID: runID, run: run, trace: trace, event: event, csrf: csrf) + "</div>"
    }

    /// Everything inside the live region (the refresh fragment).
    func detail(runID: String, run: JSON, trace: JSON?, event: JSON?, csrf: String) -> String {
        let status = trace?["status"]?.stringValue ?? run["status"]?.stringValue ?? ""
        let function = run["function_id"]?.stringValue ?? ""
        let encodedID = HTML.escape(HTML.queryValue(runID))
        var actions = ""
        let hidden = "<input type=\"hidden\" name=\"csrf\" value=\"\(HTML.escape(csrf))\">"
        if status == "Running" {
            actions += "<form class=\"inline\" method=\"post\" action=\"\(prefix)/runs/\(encodedID)/cancel\" data-confirm=\"Cancel this run?\">\(hidden)<button class=\"danger\" id=\"cancel\">Cancel run</button></form> "
        } else {
            actions += "<form class=\"inline\" method=\"post\" action=\"\(prefix)/runs/\(encodedID)/rerun\">\(hidden)<button id=\"rerun\">Re-run</button></form>"
        }
        var out = """
        <h1>Run <code>\(HTML.escape(runID))</code></h1>
        <div class="card kv"><span class="muted">Function</span><span><a href="\(prefix)/runs?function=\(HTML.escape(HTML.queryValue(function)))&amp;since=all">\(HTML.escape(function))</a></span>
        <span class="muted">Status</span><span><span class="badge \(HTML.escape(status))" id="run-status">\(HTML.escape(status))</span></span>
        <span class="muted">Started</span><span>\(HTML.escape(ConsoleFormat.time(run["run_started_at"] ?? trace?["started_at"])))</span>
        <span class="muted">Duration</span><span>\(HTML.escape(ConsoleFormat.duration(from: run["run_started_at"] ?? trace?["started_at"], to: run["ended_at"] ?? trace?["ended_at"], now: now)))</span>
        </div><p>\(actions)</p>
        """
        out += "<h2>Steps</h2>"
        let steps = trace?["children"]?.arrayValue ?? []
        if trace == nil {
            out += "<p class=\"muted\">This server has no step trace endpoint.</p>"
        } else if steps.isEmpty {
            out += "<p class=\"muted\">No steps yet.</p>"
        } else {
            out += "<ol class=\"timeline\" id=\"steps\">" + steps.map(step).joined() + "</ol>"
        }
        let output = trace?["output"] ?? run["output"] ?? .null
        let error = trace?["error"] ?? run["error"]
        if let error, !error.isNull {
            out += "<h2>Error</h2><pre class=\"error\" id=\"run-error\">\(HTML.escape(ConsoleFormat.pretty(error)))</pre>"
        } else if status == "Completed" {
            out += "<h2>Output</h2><pre id=\"run-output\">\(HTML.escape(ConsoleFormat.pretty(output)))</pre>"
        }
        if let event, !event.isNull {
            let eventID = event["internal_id"]?.stringValue ?? run["event_id"]?.stringValue ?? ""
            out += "<h2>Event <a href=\"\(prefix)/events/\(HTML.escape(HTML.queryValue(eventID)))\">\(HTML.escape(event["name"]?.stringValue ?? ""))</a></h2>"
            out += "<pre id=\"run-event\">\(HTML.escape(ConsoleFormat.pretty(event)))</pre>"
        }
        return out
    }

    private func step(_ span: JSON) -> String {
        let status = span["status"]?.stringValue ?? ""
        let op = span["step_op"]?.stringValue ?? ""
        let kind: String = switch op {
        case "StepRun", "Step", "StepPlanned", "StepError", "StepFailed": "step"
        case "Sleep": "sleep"
        case "WaitForEvent": "wait for event"
        case "WaitForSignal": "wait for signal"
        case "InvokeFunction": "invoke"
        default: op
        }
        var info = ""
        if let until = span["step_info"]?["sleep_until"] { info += " · until \(ConsoleFormat.time(until))" }
        if let name = span["step_info"]?["event_name"]?.stringValue { info += " · for \(name)" }
        if let signal = span["step_info"]?["signal"]?.stringValue { info += " · for signal \(signal)" }
        if let function = span["step_info"]?["function_id"]?.stringValue { info += " · \(function)" }
        let attempts = span["attempts"]?.intValue ?? 1
        var out = "<li class=\"\(HTML.escape(status))\"><b>\(HTML.escape(span["name"]?.stringValue ?? ""))</b> "
        out += "<span class=\"badge \(HTML.escape(status))\">\(HTML.escape(status))</span> "
        out += "<span class=\"muted\">\(HTML.escape(kind + info)) · started \(HTML.escape(ConsoleFormat.time(span["started_at"])))"
        out += " · \(HTML.escape(ConsoleFormat.duration(from: span["started_at"], to: span["ended_at"], now: now)))"
        out += attempts > 1 ? " · \(attempts) attempts" : ""
        out += "</span>"
        if let error = span["error"], !error.isNull {
            out += "<pre class=\"error\">\(HTML.escape(ConsoleFormat.pretty(error)))</pre>"
        } else if status == "Completed", let output = span["output"] {
            out += "<pre>\(HTML.escape(ConsoleFormat.pretty(output)))</pre>"
        }
        return out + "</li>"
    }
}
