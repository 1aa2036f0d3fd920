#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Structured logging as JSON lines: one object per line with `ts`, `level`,
/// `msg`, then the logger's context fields and the call's fields in order.
///
/// Tiny on purpose (launchd captures the stream; `jq` reads it). Any module
/// may take a `Logger` value; `with(_:)` adds context such as a request id.
/// Lines go out with one `write(2)` each, so concurrent writers never interleave.
public struct Logger: Sendable {
    public enum Level: Int, Sendable, Comparable, CaseIterable {
        case debug, info, warn, error
        public var name: String { ["debug", "info", "warn", "error"][rawValue] }
        public init?(name: String) {
            guard let level = Level.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
            self = level
        }
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    /// Where lines go: a file descriptor (stderr by default), or a closure
    /// (tests collect lines with it).
    public enum Sink: Sendable {
        case fileDescriptor(Int32)
        case lines(@Sendable (String) -> Void)
        public static let standardError = Sink.fileDescriptor(2)
    }

    public var minimumLevel: Level
    public let sink: Sink
    private var context: [(String, LogValue)]

    public init(minimumLevel: Level = .info, sink: Sink = .standardError) {
        self.minimumLevel = minimumLevel
        self.sink = sink
        self.context = []
    }

    /// A logger that adds `fields` to every line.
    public func with(_ fields: KeyValuePairs<String, LogValue>) -> Logger {
        var copy = self
        copy.context.append(contentsOf: fields.map { ($0.key, $0.value) })
        return copy
    }

    public func debug(_ message: String, _ fields: KeyValuePairs<String, LogValue> = [:]) { log(.debug, message, fields) }
    public func info(_ message: String, _ fields: KeyValuePairs<String, LogValue> = [:]) { log(.info, message, fields) }
    public func warn(_ message: String, _ fields: KeyValuePairs<String, LogValue> = [:]) { log(.warn, message, fields) }
    public func error(_ message: String, _ fields: KeyValuePairs<String, LogValue> = [:]) { log(.error, message, fields) }

    public func log(_ level: Level, _ message: String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        guard level >= minimumLevel else { return }
        var line = "{\"ts\":\"\(Self.timestamp())\",\"level\":\"\(level.name)\",\"msg\":"
        LogValue.appendQuoted(message, to: &line)
        for (key, value) in context { Self.append(key, value, to: &line) }
        for (key, value) in fields { Self.append(key, value, to: &line) }
        line += "}\n"
        switch sink {
        case .fileDescriptor(let fd):
            var bytes = Array(line.utf8)
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
                if n <= 0 { if n < 0 && errno == EINTR { continue }; break }
                offset += n
            }
        case .lines(let collect):
            collect(String(line.dropLast()))
        }
    }

    private static func append(_ key: String, _ value: LogValue, to line: inout String) {
        line += ","
        LogValue.appendQuoted(key, to: &line)
        line += ":"
        value.append(to: &line)
    }

    /// RFC 3339 UTC with milliseconds.
    static func timestamp() -> String { UTCTimestamp.now() }
}

/// A field value in a log line.
public enum LogValue: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByStringInterpolation {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    func append(to line: inout String) {
        switch self {
        case .string(let s): Self.appendQuoted(s, to: &line)
        case .int(let i): line += String(i)
        case .double(let d): line += d.isFinite ? String(d) : "null"
        case .bool(let b): line += b ? "true" : "false"
        }
    }

    /// A JSON string literal (RFC 8259 §7).
    static func appendQuoted(_ text: String, to line: inout String) {
        line += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": line += "\\\""
            case "\\": line += "\\\\"
            case "\n": line += "\\n"
            case "\r": line += "\\r"
            case "\t": line += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                line += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: line.unicodeScalars.append(scalar)
            }
        }
        line += "\""
    }
}
