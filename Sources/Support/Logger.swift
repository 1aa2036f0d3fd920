#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Structured logging as JSON lines: one object per line with `ts`, `level`,
/// `msg`, then the logger's context fields and the call's fields in order.
///
/// Tiny on purpose (launchd captures the stream; `jq` reads it). Every module
/// logs through this one type (the engine, the functions, the HTTP server and
/// the SDK's bridge alike), so fields stay fields instead of being flattened
/// into message text; `with(_:)` adds context such as a request id.
/// Lines go out with one `write(2)` each, so concurrent writers never interleave.
public struct Logger: Sendable {
    /// The one log-level type of the package (`LogLevel`), under the name
    /// callers of a logger expect.
    public typealias Level = LogLevel

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

    /// Drops every line: the default of components whose caller may not care.
    public static let discarding = Logger(minimumLevel: .error, sink: .lines { _ in })

    /// Whether a line at `level` would be written (to skip building costly fields).
    public func isEnabled(_ level: Level) -> Bool { level >= minimumLevel }

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
