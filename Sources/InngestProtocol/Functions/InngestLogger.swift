import Foundation
import Support

/// Severity of a log line: the package's one level type (`LogLevel`), under
/// the SDK's name.
public typealias InngestLogLevel = LogLevel

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

/// Hands SDK and function log lines to a `Logger`, the package's one
/// structured logger (JSON lines on standard error by default), with the
/// line's fields kept as fields.
public struct LoggerLogSink: InngestLogSink {
    public let logger: Logger
    public init(logger: Logger = Logger()) { self.logger = logger }

    public func log(_ level: InngestLogLevel, _ message: String, fields: [(String, String)]) {
        guard logger.isEnabled(level) else { return }
        var line = logger
        for (key, value) in fields { line = line.with([key: .string(value)]) }
        line.log(level, message)
    }
}

/// Drops everything; for tests and benchmarks.
public struct DiscardingLogSink: InngestLogSink {
    public init() {}
    public func log(_ level: InngestLogLevel, _ message: String, fields: [(String, String)]) {}
}
