/// Where the engine reports what it does: level, message, fields.
///
/// A plain closure so the worker can route it into its JSON-lines log and
/// tests can capture it; the engine never prints on its own.
public typealias EngineLog = @Sendable (EngineLogLevel, String, [String: String]) -> Void

public enum EngineLogLevel: String, Sendable { case debug, info, warning, error }
