/// One named metric and all its labelled series.
struct MetricFamily: Sendable {
    enum Kind: String, Sendable { case counter, gauge, histogram }

    struct Series: Sendable {
        var value: Double = 0
        /// Per-bucket (not yet cumulative) counts, one per upper bound.
        var bucketCounts: [UInt64]
        var sum: Double = 0
        var count: UInt64 = 0
    }

    let name: String
    let help: String
    let kind: Kind
    let labelNames: [String]
    let buckets: [Double]
    var series: [[String]: Series] = [:]
    /// Label sets in the order they first appeared.
    var order: [[String]] = []

    static func isValidName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, !(first >= "0" && first <= "9") else { return false }
        return s.unicodeScalars.allSatisfy {
            ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "_" || $0 == ":"
        }
    }
}

/// The Prometheus text exposition format, version 0.0.4.
enum PrometheusText {
    static func render(_ f: MetricFamily) -> String {
        var out = "# HELP \(f.name) \(escapeHelp(f.help))\n# TYPE \(f.name) \(f.kind.rawValue)\n"
        // A family without labels shows its zero value before anything is recorded.
        let order = f.order.isEmpty && f.labelNames.isEmpty ? [[]] : f.order.sorted { $0.lexicographicallyPrecedes($1) }
        for labels in order {
            let s = f.series[labels] ?? MetricFamily.Series(bucketCounts: Array(repeating: 0, count: f.buckets.count))
            let pairs = zip(f.labelNames, labels).map { ($0, $1) }
            switch f.kind {
            case .counter, .gauge:
                out += "\(f.name)\(labelText(pairs)) \(number(s.value))\n"
            case .histogram:
                var cumulative: UInt64 = 0
                for (bound, n) in zip(f.buckets, s.bucketCounts) {
                    cumulative += n
                    out += "\(f.name)_bucket\(labelText(pairs + [("le", number(bound))])) \(cumulative)\n"
                }
                out += "\(f.name)_bucket\(labelText(pairs + [("le", "+Inf")])) \(s.count)\n"
                out += "\(f.name)_sum\(labelText(pairs)) \(number(s.sum))\n"
                out += "\(f.name)_count\(labelText(pairs)) \(s.count)\n"
            }
        }
        return out
    }

    static func labelText(_ pairs: [(String, String)]) -> String {
        pairs.isEmpty ? "" : "{" + pairs.map { "\($0.0)=\"\(escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
    }

    static func escapeLabel(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func escapeHelp(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Integers without a fraction, other values in Swift's shortest form.
    static func number(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }
}

import Foundation
