import Engine
import Foundation
import HTTP
import Support

/// The worker's settings, resolved from flags (first), environment variables
/// (second) and defaults, and validated all at once so a bad start reports
/// every problem in one go.
///
/// Arguments and environment are treated as hostile: every problem is a line
/// of text (never a trap), values are quoted with control characters escaped
/// and cut to `shownLimit` characters so a message cannot forge log lines or
/// flood the terminal, a flag given twice is refused rather than silently
/// overridden, and a flag followed by another flag is missing its value
/// (`--port --host x` does not make `--host` the port).
public struct WorkerConfiguration: Sendable {
    public enum Outcome: Sendable {
        case run(WorkerConfiguration)
        case help(String)
        case version
        case invalid([String])
    }

    /// How many characters of an offending value or flag a message repeats.
    public static let shownLimit = 80

    private let values: [String: String]

    public static func resolve(arguments: [String], environment: [String: String],
                               options: [WorkerOption] = WorkerOption.all) -> Outcome {
        var fromFlags: [String: String] = [:]
        var problems: [String] = []
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            i += 1
            if argument == "--help" || argument == "-h" { return .help(usage(options)) }
            if argument == "--version" { return .version }
            guard argument.hasPrefix("--") else { problems.append("unexpected argument \(shown(argument))"); continue }
            var name = String(argument.dropFirst(2))
            var value: String?
            if let eq = name.firstIndex(of: "=") {
                value = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            guard options.contains(where: { $0.flag == name }) else {
                problems.append("unknown flag \(shown("--" + name)) (see --help)"); continue
            }
            if value == nil {
                guard i < arguments.count, !arguments[i].hasPrefix("--") else {
                    problems.append("--\(name) needs a value (--\(name) VALUE or --\(name)=VALUE)"); continue
                }
                value = arguments[i]
                i += 1
            }
            guard fromFlags[name] == nil else { problems.append("--\(name) is given more than once"); continue }
            fromFlags[name] = value
        }
        var values: [String: String] = [:]
        for option in options {
            let (value, source): (String, String)
            if let v = fromFlags[option.flag] {
                (value, source) = (v, "--\(option.flag)")
            } else if let v = environment[option.environment] {
                (value, source) = (v, option.environment)
            } else {
                (value, source) = (option.defaultValue, "default of --\(option.flag)")
            }
            if let problem = option.check(value) {
                problems.append("\(source)=\(shown(value)): \(problem)")
            }
            values[option.flag] = value
        }
        return problems.isEmpty ? .run(WorkerConfiguration(values: values)) : .invalid(problems)
    }

    /// `text` quoted, with control characters escaped, cut to `shownLimit`
    /// characters (`…` and the full length in bytes when cut).
    public static func shown(_ text: String) -> String {
        guard text.count > shownLimit else { return text.debugDescription }
        return String(text.prefix(shownLimit)).debugDescription + "… (\(text.utf8.count) bytes)"
    }

    /// One line per option; names are padded into columns, never cut.
    public static func usage(_ options: [WorkerOption]) -> String {
        func column(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        var text = "usage: worker [--flag value ...]\n\nEvery flag can also be set by its environment variable.\n\n"
        for o in options {
            text += "  \(column("--" + o.flag, 20)) \(column(o.environment, 30)) \(o.summary) (default \(o.defaultValue))\n"
        }
        return text
    }

    /// The raw value of `option` (always present once resolved).
    public func string(_ option: WorkerOption) -> String { values[option.flag] ?? option.defaultValue }
    public func int(_ option: WorkerOption) -> Int { Int(string(option)) ?? Int(option.defaultValue) ?? 0 }
    public func seconds(_ option: WorkerOption) -> Double { Double(string(option)) ?? Double(option.defaultValue) ?? 0 }

    public var host: String { string(.host) }
    public var port: Int { int(.port) }
    public var logLevel: Logger.Level { Logger.Level(name: string(.logLevel)) ?? .info }
    public var drainTimeout: Double { seconds(.drainTimeout) }

    public var server: HTTPServerConfiguration {
        var server = HTTPServerConfiguration(
            host: host, port: port,
            limits: HTTPParserLimits(maxHeaderBytes: int(.maxHeaderBytes), maxBodyBytes: int(.maxBodyBytes)),
            maxConnections: int(.maxConnections),
            headerReadTimeout: seconds(.headerTimeout),
            idleTimeout: seconds(.idleTimeout),
            eventLoops: int(.eventLoops))
        server.maxBufferedBodyBytes = int(.maxBufferedBodyBytes)
        return server
    }

    /// The embedded engine's API address (`--engine-address`), checked at resolution.
    public var engineAddress: (host: String, port: Int)? { EmbeddedEngineConfiguration.parseAddress(string(.engineAddress)) }
}
