import Ops
import Support

/// The `joelclaw status` view of every machine and service, the health
/// transitions seen since the worker started, and the worker's counters.
struct ServicesPage: Sendable {
    let prefix: String

    func body(report: StatusReport?, problem: String?, history: HealthHistory, metrics: String?) -> String {
        "<h1>Services</h1><div id=\"services\" data-live=\"\(prefix)/services?fragment=detail\" data-every=\"3000\">"
            + detail(report: report, problem: problem, history: history, metrics: metrics) + "</div>"
    }

    func detail(report: StatusReport?, problem: String?, history: HealthHistory, metrics: String?) -> String {
        var out = problem.map { "<p class=\"error\">\(HTML.escape($0))</p>" } ?? ""
        if let report {
            out += "<p class=\"muted\">Checked \(HTML.escape(UTCTimestamp.rfc3339(milliseconds: Int64(report.checkedAt.timeIntervalSince1970 * 1000), alwaysMilliseconds: false))) in \(HTML.escape(ConsoleFormat.duration(milliseconds: Int64(report.duration * 1000))))</p>"
            for machine in report.machines {
                out += "<h2>\(HTML.escape(machine.name)) <span class=\"muted\">\(HTML.escape(machine.address))</span></h2>"
                out += "<div class=\"scroll\"><table><thead><tr><th>Service</th><th>State</th><th>Latency</th><th class=\"wide\">Detail</th></tr></thead><tbody>"
                for s in machine.services {
                    out += "<tr data-service=\"\(HTML.escape(machine.name + "/" + s.service))\"><td>\(HTML.escape(s.service))</td>"
                    out += "<td><span class=\"badge \(s.state.rawValue)\">\(s.state.rawValue)</span></td>"
                    out += "<td>\(HTML.escape(ConsoleFormat.duration(milliseconds: Int64(s.latency * 1000))))</td><td class=\"wide\">\(HTML.escape(s.detail))</td></tr>"
                }
                out += "</tbody></table></div>"
            }
        }
        out += "<h2>Health transitions</h2>"
        if history.transitions.isEmpty {
            out += "<p class=\"muted\">None seen yet.</p>"
        } else {
            out += "<ol class=\"timeline\" id=\"transitions\">"
            for t in history.transitions.reversed() {
                let label = t.isRecovery ? "recovered" : (t.from == nil ? "first seen" : t.to.rawValue)
                out += "<li class=\"\(t.to == .up ? "Completed" : "Failed")\"><b>\(HTML.escape(t.machine + "/" + t.service))</b> "
                out += "<span class=\"badge \(t.to.rawValue)\">\(HTML.escape(label))</span> "
                out += "<span class=\"muted\">\(HTML.escape((t.from?.rawValue ?? "–") + " → " + t.to.rawValue)) at \(HTML.escape(UTCTimestamp.rfc3339(milliseconds: t.at, alwaysMilliseconds: false)))</span>"
                out += t.detail.isEmpty ? "" : "<br><span class=\"muted\">\(HTML.escape(t.detail))</span>"
                out += "</li>"
            }
            out += "</ol>"
        }
        if let metrics { out += MetricsChart.render(metrics) }
        return out
    }
}
