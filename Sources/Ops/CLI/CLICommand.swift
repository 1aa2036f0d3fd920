/// One `joelclaw` command: its name, help text, the arguments it takes and
/// what it does. Groups (`infra`) list subcommands and have no `run` of their own.
public protocol CLICommand: Sendable {
    static var name: String { get }
    /// One line, shown in the parent's subcommand list and as OVERVIEW.
    static var abstract: String { get }
    /// Paragraphs shown after the options in `--help`.
    static var discussion: String { get }
    static var arguments: ArgumentSpec { get }
    static var subcommands: [any CLICommand.Type] { get }

    /// Builds the command from parsed arguments; throws `UsageError` for
    /// values that parse but make no sense (a negative timeout).
    init(_ parsed: ParsedArguments) throws
    func run(in context: CLIContext) async throws -> ExitCode
}

extension CLICommand {
    public static var discussion: String { "" }
    public static var arguments: ArgumentSpec { ArgumentSpec() }
    public static var subcommands: [any CLICommand.Type] { [] }
}

/// Renders `--help` in swift-argument-parser's layout: OVERVIEW, USAGE,
/// ARGUMENTS, OPTIONS, SUBCOMMANDS, then the discussion and exit codes.
enum HelpFormatter {
    static func usage(_ command: any CLICommand.Type, path: [String]) -> String {
        let spec = command.arguments
        var parts = [path.joined(separator: " ")]
        if !command.subcommands.isEmpty { parts.append("<subcommand>") }
        for f in spec.flags { parts.append("[--\(f.long)]") }
        for o in spec.options { parts.append("[--\(o.long) <\(o.valueName)>]") }
        for p in spec.positionals { parts.append(p.optional ? "[<\(p.name)>]" : "<\(p.name)>") }
        return "USAGE: " + parts.joined(separator: " ")
    }

    static func help(_ command: any CLICommand.Type, path: [String], subcommands: [any CLICommand.Type]? = nil) -> String {
        let subcommands = subcommands ?? command.subcommands
        var out = "OVERVIEW: \(command.abstract)\n\n\(usage(command, path: path))\n"
        let spec = command.arguments
        if !spec.positionals.isEmpty {
            out += "\nARGUMENTS:\n"
            for p in spec.positionals { out += row("<\(p.name)>", p.help) }
        }
        out += "\nOPTIONS:\n"
        for f in spec.flags { out += row((f.short.map { "-\($0), " } ?? "") + "--\(f.long)", f.help) }
        for o in spec.options { out += row((o.short.map { "-\($0), " } ?? "") + "--\(o.long) <\(o.valueName)>", o.help) }
        out += row("-h, --help", "Show help information.")
        if !subcommands.isEmpty {
            out += "\nSUBCOMMANDS:\n"
            for s in subcommands { out += row(s.name, s.abstract) }
            out += "\n  See '\(path.joined(separator: " ")) help <subcommand>' for detailed help.\n"
        }
        if !command.discussion.isEmpty { out += "\n\(command.discussion)\n" }
        if command.subcommands.isEmpty { out += "\n\(ExitCode.documentation)\n" }
        return out
    }

    static func row(_ left: String, _ right: String) -> String {
        let pad = 26
        let lines = right.split(separator: "\n", omittingEmptySubsequences: false)
        var text = "  " + left
        text += left.count + 2 < pad ? String(repeating: " ", count: pad - left.count - 2) : "\n" + String(repeating: " ", count: pad)
        text += lines.joined(separator: "\n" + String(repeating: " ", count: pad))
        return text + "\n"
    }
}
