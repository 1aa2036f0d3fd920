import Foundation
import HTTP
import Support

/// The worker's settings, resolved from flags (first), environment variables
/// (second) and defaults, and validated all at once so a bad start reports
/// every problem in one go.
struct WorkerConfiguration: Sendable {
    enum Outcome {
        case run(WorkerConfiguration)
        case help(String)
        case version
        case invalid([String])
    }

    private let values: [String: String]

    static func resolve(arguments: [String], environment: [String: String],
                        options: [WorkerOption] = WorkerOption.all) -> Outcome {
        var fromFlags: [String: String] = [:]
        var problems: [String] = []
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            i += 1
            if argument == "--help" || argument == "-h" { return .help(usage(options)) }
            if argument == "--version" { return .version }
            guard argument.hasPrefix("--") else { problems.append("unexpected argument \(argument)"); continue }
            var name = String(argument.dropFirst(2))
            var value: String?
            if let eq = name.firstIndex(of: "=") {
                value = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            guard options.contains(where: { $0.flag == name }) else { problems.append("unknown flag --\(name) (see --help)"); continue }
            if value == nil {
                guard i < arguments.count else { problems.append("--\(name) needs a value"); continue }
                value = arguments[i]
                i += 1
            }
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
                problems.append("\(source)=\(value.debugDescription): \(problem)")
            }
            values[option.flag] = value
        }
        return problems.isEmpty ? .run(WorkerConfiguration(values: values)) : .invalid(problems)
    }

    static func usage(_ options: [WorkerOption]) -> String {
        var text = "usage: worker [--flag value ...]\n\nEvery flag can also be set by its environment variable.\n\n"
        for o in options {
            text += "  --\(o.flag.padding(toLength: 18, withPad: " ", startingAt: 0)) \(o.environment.padding(toLength: 26, withPad: " ", startingAt: 0)) \(o.summary) (default \(o.defaultValue))\n"
        }
        return text
    }

    /// The raw value of `option` (always present once resolved).
    func string(_ option: WorkerOption) -> String { values[option.flag] ?? option.defaultValue }
    func int(_ option: WorkerOption) -> Int { Int(string(option)) ?? Int(option.defaultValue) ?? 0 }
    func seconds(_ option: WorkerOption) -> Double { Double(string(option)) ?? Double(option.defaultValue) ?? 0 }

    var host: String { string(.host) }
    var port: Int { int(.port) }
    var logLevel: Logger.Level { Logger.Level(name: string(.logLevel)) ?? .info }
    var drainTimeout: Double { seconds(.drainTimeout) }

    var server: HTTPServerConfiguration {
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
}
