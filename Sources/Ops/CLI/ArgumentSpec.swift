/// The arguments a command accepts, declared once and used both to parse the
/// command line and to print `--help` (the shape of swift-argument-parser's
/// `@Argument`/`@Option`/`@Flag`, without the package).
public struct ArgumentSpec: Sendable {
    public struct Positional: Sendable {
        public var name: String
        public var help: String
        public var optional: Bool
        public init(_ name: String, help: String, optional: Bool = false) {
            self.name = name
            self.help = help
            self.optional = optional
        }
    }

    public struct Option: Sendable {
        public var long: String
        public var short: Character?
        public var valueName: String
        public var help: String
        public init(_ long: String, short: Character? = nil, value: String, help: String) {
            self.long = long
            self.short = short
            self.valueName = value
            self.help = help
        }
    }

    public struct Flag: Sendable {
        public var long: String
        public var short: Character?
        public var help: String
        public init(_ long: String, short: Character? = nil, help: String) {
            self.long = long
            self.short = short
            self.help = help
        }
    }

    public var positionals: [Positional]
    public var options: [Option]
    public var flags: [Flag]

    public init(positionals: [Positional] = [], options: [Option] = [], flags: [Flag] = []) {
        self.positionals = positionals
        self.options = options
        self.flags = flags
    }
}

/// A command line parsed against an `ArgumentSpec`.
public struct ParsedArguments: Sendable, Equatable {
    public var positionals: [String: String] = [:]
    public var options: [String: String] = [:]
    public var flags: Set<String> = []
    /// `-h`/`--help` appeared anywhere.
    public var wantsHelp = false

    public func flag(_ name: String) -> Bool { flags.contains(name) }
    public func option(_ name: String) -> String? { options[name] }
    public func positional(_ name: String) -> String? { positionals[name] }
}

/// A command line that does not fit the command: printed with the usage line
/// and answered with exit code 64 (EX_USAGE), as swift-argument-parser does.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension ArgumentSpec {
    /// Parses `arguments`: `--name value`, `--name=value`, `-n value`,
    /// `--flag`, `-f`, and `--` to end options. Repeating an option keeps the last.
    public func parse(_ arguments: [String]) throws -> ParsedArguments {
        var parsed = ParsedArguments()
        var rest: [String] = []
        var i = 0
        var optionsEnded = false
        while i < arguments.count {
            let arg = arguments[i]
            i += 1
            if optionsEnded || arg == "-" || !arg.hasPrefix("-") { rest.append(arg); continue }
            if arg == "--" { optionsEnded = true; continue }
            if arg == "--help" || arg == "-h" { parsed.wantsHelp = true; continue }
            var name = arg
            var inlineValue: String?
            if arg.hasPrefix("--"), let eq = arg.firstIndex(of: "=") {
                name = String(arg[..<eq])
                inlineValue = String(arg[arg.index(after: eq)...])
            }
            if let option = findOption(name) {
                if let inlineValue { parsed.options[option.long] = inlineValue; continue }
                guard i < arguments.count else { throw UsageError("Missing value for '\(name) <\(option.valueName)>'") }
                parsed.options[option.long] = arguments[i]
                i += 1
            } else if let flag = findFlag(name) {
                if inlineValue != nil { throw UsageError("The flag '--\(flag.long)' does not take a value") }
                parsed.flags.insert(flag.long)
            } else {
                throw UsageError("Unknown option '\(name)'")
            }
        }
        if parsed.wantsHelp { return parsed }
        for (index, p) in positionals.enumerated() {
            if index < rest.count { parsed.positionals[p.name] = rest[index] }
            else if !p.optional { throw UsageError("Missing expected argument '<\(p.name)>'") }
        }
        if rest.count > positionals.count {
            throw UsageError("Unexpected argument '\(rest[positionals.count])'")
        }
        return parsed
    }

    func findOption(_ name: String) -> Option? {
        options.first { "--\($0.long)" == name || ($0.short.map { "-\($0)" } == name) }
    }

    func findFlag(_ name: String) -> Flag? {
        flags.first { "--\($0.long)" == name || ($0.short.map { "-\($0)" } == name) }
    }
}
