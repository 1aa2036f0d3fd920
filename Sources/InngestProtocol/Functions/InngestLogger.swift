import Foundation

/// Severity of a log line.
public enum InngestLogLevel: String, Sendable, Comparable, CaseIterable {
    case debug, info, warn, error

    public static func < (a: InngestLogLevel, b: InngestLogLevel) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Where SDK and function log lines go. The worker plugs in its JSON-lines
/// logger; the default writes JSON lines to standard error.
public protocol InngestLogSink: Sendable {
    func log(_ level: InngestLogLevel, _ message: String, fields: [(String, String)])
}

/// The logger a function receives as `ctx.logger`.
///
/// It is replay-aware: while the function is being replayed from memoised
/// state (code before the first new step), lines are dropped, so a message
/// outside any step is logged once, not once per later step.
public struct InngestLogger: Sendable {
    let sink: any InngestLogSink
    let fields: [(String, String)]
    let isReplaying: @Sendable () -> Bool

    public init(sink: any InngestLogSink, fields: [(String, String)] = [], isReplaying: @escaping @Sendable () -> Bool = { false }) {
        self.sink = sink
        self.fields = fields
        self.isReplaying = isReplaying
    }

    public func debug(_ message: @autoclosure () -> String) { emit(.debug, message) }
    public func info(_ message: @autoclosure () -> String) { emit(.info, message) }
    public func warn(_ message: @autoclosure () -> String) { emit(.warn, message) }
    public func error(_ message: @autoclosure () -> String) { emit(.error, message) }

    public func log(_ level: InngestLogLevel, _ message: @autoclosure () -> String) { emit(level, message) }

    private func emit(_ level: InngestLogLevel, _ message: () -> String) {
        guard !isReplaying() else { return }
        sink.log(level, message(), fields: fields)
    }
}

/// Writes one JSON object per line to standard error: `{"level","msg",…fields}`.
public struct StandardErrorLogSink: InngestLogSink {
    public let minimumLevel: InngestLogLevel
    public init(minimumLevel: InngestLogLevel = .info) { self.minimumLevel = minimumLevel }

    public func log(_ level: InngestLogLevel, _ message: String, fields: [(String, String)]) {
        guard level >= minimumLevel else { return }
        var line = "{\"level\":\"\(level.rawValue)\",\"msg\":\(jsonString(message))"
        for (k, v) in fields { line += ",\(jsonString(k)):\(jsonString(v))" }
        line += "}\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    private func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Drops everything; for tests and benchmarks.
public struct DiscardingLogSink: InngestLogSink {
    public init() {}
    public func log(_ level: InngestLogLevel, _ message: String, fields: [(String, String)]) {}
}
