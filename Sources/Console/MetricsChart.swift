/// Counters from the worker's Prometheus text, as small bar charts (inline
/// SVG: no script, no styles outside the stylesheet).
enum MetricsChart {
    struct Sample: Equatable {
        let name: String
        let labels: [(String, String)]
        let value: Double
        static func == (a: Sample, b: Sample) -> Bool {
            a.name == b.name && a.value == b.value && a.labels.map { $0.0 + "=" + $0.1 } == b.labels.map { $0.0 + "=" + $0.1 }
        }
    }

    static let charts: [(metric: String, title: String, labels: [String])] = [
        ("joelclaw_function_results_total", "Function results", ["function", "outcome"]),
        ("joelclaw_http_requests_total", "HTTP requests", ["method", "route", "status"]),
    ]

    static func render(_ text: String) -> String {
        let samples = parse(text)
        var out = "<h2>Counters</h2>"
        for chart in charts {
            let rows = samples.filter { $0.name == chart.metric }
                .map { sample in (chart.labels.map { l in sample.labels.first { $0.0 == l }?.1 ?? "" }.joined(separator: " "), sample.value) }
                .sorted { $0.1 > $1.1 }.prefix(20)
            out += "<h3>\(HTML.escape(chart.title))</h3>"
            guard let top = rows.first?.1, top > 0 else { out += "<p class=\"muted\">No samples yet.</p>"; continue }
            out += "<table class=\"chart\"><tbody>"
            for (label, value) in rows {
                let width = Int((value / top * 100).rounded())
                out += "<tr><td>\(HTML.escape(label))</td><td><svg width=\"120\" height=\"12\" role=\"img\" aria-label=\"\(Int(value))\"><rect class=\"bar\" width=\"\(width + 1)\" height=\"12\"></rect></svg> \(Int(value))</td></tr>"
            }
            out += "</tbody></table>"
        }
        return out
    }

    /// `name{a="x",b="y"} value` lines; comments and anything malformed are skipped.
    static func parse(_ text: String) -> [Sample] {
        var samples: [Sample] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            let head = line[..<space]
            var name = String(head)
            var labels: [(String, String)] = []
            if let brace = head.firstIndex(of: "{"), head.hasSuffix("}") {
                name = String(head[..<brace])
                let body = head[head.index(after: brace)..<head.index(before: head.endIndex)]
                for pair in body.split(separator: ",") {
                    guard let eq = pair.firstIndex(of: "=") else { continue }
                    var v = pair[pair.index(after: eq)...]
                    if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 { v = v.dropFirst().dropLast() }
                    labels.append((String(pair[..<eq]), String(v)))
                }
            }
            samples.append(Sample(name: name, labels: labels, value: value))
        }
        return samples
    }
}
