/// Severity of a log line: the one level type every module and the SDK use.
public enum LogLevel: Int, Sendable, Comparable, CaseIterable {
    case debug, info, warn, error

    /// The lower-case name written in log lines and accepted in settings.
    public var name: String { ["debug", "info", "warn", "error"][rawValue] }

    /// Parses a level name, case-insensitively (`"WARN"`, `"info"`).
    public init?(name: String) {
        guard let level = LogLevel.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = level
    }

    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }
}
