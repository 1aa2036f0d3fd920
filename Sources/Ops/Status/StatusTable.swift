import Foundation

/// The human `joelclaw status` view: machines, then their services:
///
/// ```
/// panda (Mac Mini M4 Pro, 64 GB)
///   docker    inngest     ✅ up         :8288   177 MB   healthy
/// ```
///
/// On a terminal the state gets a symbol and (unless `NO_COLOR`) a colour;
/// piped output is plain words, so `grep down` works.
public struct StatusTable {
    public var color: Bool
    public var symbols: Bool

    public init(color: Bool, symbols: Bool) {
        self.color = color
        self.symbols = symbols
    }

    public func render(_ report: StatusReport) -> String {
        var out = ""
        let nameWidth = max(10, report.allServices.map(\.service.count).max() ?? 0) + 2
        for (i, m) in report.machines.enumerated() {
            if i > 0 { out += "\n" }
            out += bold(m.description.map { "\(m.name) (\($0))" } ?? m.name) + "\n"
            for s in m.services {
                var line = "  " + pad(s.kind.rawValue, 12) + pad(s.service, nameWidth) + state(s.state) + "  "
                line += pad(s.port.map { ":\($0)" } ?? "", 8)
                line += pad(s.memoryBytes.map(Self.memory) ?? "", 10)
                line += s.detail
                while line.last == " " { line.removeLast() }
                out += line + "\n"
            }
        }
        let counts = HealthState.allCases.compactMap { st -> String? in
            let n = report.count(st)
            return n == 0 ? nil : "\(n) \(st.rawValue)"
        }
        out += "\n\(counts.joined(separator: ", ")) · checked in \(String(format: "%.2f", report.duration))s\n"
        return out
    }

    func state(_ s: HealthState) -> String {
        let word = pad(s.rawValue, 9)
        let symbol: String
        switch s {
        case .up: symbol = "✅"
        case .degraded: symbol = "⚠️ "
        case .down: symbol = "❌"
        case .unknown: symbol = "❔"
        }
        let text = symbols ? "\(symbol) \(word)" : word
        guard color else { return text }
        let code: String
        switch s {
        case .up: code = "32"
        case .degraded: code = "33"
        case .down: code = "31"
        case .unknown: code = "90"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    func bold(_ text: String) -> String { color ? "\u{1B}[1m\(text)\u{1B}[0m" : text }

    func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    /// `177 MB`, `1.2 GB`: decimal units, as in the ADR's sketch.
    static func memory(_ bytes: UInt64) -> String {
        let b = Double(bytes)
        if b >= 1e9 { return String(format: "%.1f GB", b / 1e9) }
        if b >= 1e6 { return String(format: "%.0f MB", b / 1e6) }
        return String(format: "%.0f kB", b / 1e3)
    }
}
