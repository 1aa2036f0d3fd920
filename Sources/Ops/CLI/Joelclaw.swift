import Engine
import InngestProtocol

/// The `joelclaw` operations CLI. `main.swift` only calls `Joelclaw.main`;
/// everything else lives here so tests run the real command path in-process.
public struct Joelclaw: CLICommand {
    public static let name = "joelclaw"
    public static let abstract = "Operate the joelclaw system bus: status, infrastructure, events and runs."
    public static let discussion = """
    CONFIGURATION (environment):
      JOELCLAW_REPO               repository checkout (default: current directory)
      JOELCLAW_INVENTORY          inventory file (default: $JOELCLAW_REPO/infra/inventory.json)
      INNGEST_DEV                 1, or the dev server's URL: dev mode (no keys needed)
      INNGEST_BASE_URL            Inngest server in cloud mode (keys as configured)
      INNGEST_EVENT_API_BASE_URL  event API base (default: INNGEST_BASE_URL)
      INNGEST_API_BASE_URL        REST API base (default: INNGEST_BASE_URL)
      INNGEST_EVENT_KEY           event key (dev mode default: NO_EVENT_KEY_SET)
      INNGEST_SIGNING_KEY         its SHA-256 form is the REST API's Bearer token
      INNGEST_SIGNING_KEY_FALLBACK  tried when the server refuses the signing key
      With none of INNGEST_DEV/INNGEST_BASE_URL/INNGEST_*_API_BASE_URL set, the CLI
      talks to the worker's embedded engine at JOELCLAW_ENGINE_ADDRESS (default
      \(EmbeddedEngineConfiguration.defaultAddress)) with the keys from its key file (JOELCLAW_ENGINE_KEYS, default
      engine-keys.json beside JOELCLAW_ENGINE_DB), as the worker does.
      NO_COLOR                    disable colour (also off when output is not a terminal)
    """
    public static let subcommands: [any CLICommand.Type] = [StatusCommand.self, InfraCommand.self, SendCommand.self, RunsCommand.self]
    public static let arguments = ArgumentSpec(flags: [.init("version", help: "Show the version (one for the CLI, the worker and the SDK).")])

    public init(_ parsed: ParsedArguments) {}
    public func run(in context: CLIContext) async throws -> ExitCode { .usage }

    /// Parses `arguments` (without the program name), runs the command and
    /// returns its exit code. Help goes to stdout; errors go to stderr.
    /// `extraCommands` are top-level commands from modules above Ops (the
    /// executable passes the agent loop's `loop` group).
    public static func main(_ arguments: [String], context: CLIContext, extraCommands: [any CLICommand.Type] = []) async -> ExitCode {
        if arguments == ["--version"] {
            context.stdout.write("\(name) \(SDKIdentity.version)\n")
            return .success
        }
        var command: any CLICommand.Type = Joelclaw.self
        var path = [name]
        var rest = arguments[...]
        // `joelclaw help infra apply` is `joelclaw infra apply --help`.
        if rest.first == "help" {
            rest = rest.dropFirst()
            rest.append("--help")
        }
        func subcommands(of command: any CLICommand.Type) -> [any CLICommand.Type] {
            command == Joelclaw.self ? command.subcommands + extraCommands : command.subcommands
        }
        while let next = rest.first, let sub = subcommands(of: command).first(where: { $0.name == next }) {
            command = sub
            path.append(sub.name)
            rest = rest.dropFirst()
        }
        do {
            if !subcommands(of: command).isEmpty {
                // A group asked for nothing in particular: show what it offers.
                if rest.isEmpty || rest.contains("--help") || rest.contains("-h") {
                    context.stdout.write(HelpFormatter.help(command, path: path, subcommands: subcommands(of: command)))
                    return .success
                }
                throw UsageError(rest.first!.hasPrefix("-") ? "Unknown option '\(rest.first!)'" : "Unknown subcommand '\(rest.first!)'")
            }
            let parsed = try command.arguments.parse(Array(rest))
            if parsed.wantsHelp {
                context.stdout.write(HelpFormatter.help(command, path: path))
                return .success
            }
            return try await command.init(parsed).run(in: context)
        } catch let error as UsageError {
            context.stderr.write("Error: \(error.message)\n\(HelpFormatter.usage(command, path: path))\n  See '\(path.joined(separator: " ")) --help' for more information.\n")
            return .usage
        } catch let error as CommandFailure {
            context.stderr.write("Error: \(error.message)\n")
            return error.exitCode
        } catch let error as InventoryError {
            context.stderr.write("Error: \(error)\n")
            return .configuration
        } catch {
            context.stderr.write("Error: \(error)\n")
            return .failure
        }
    }
}

/// `joelclaw infra`: a group for the infrastructure subcommands.
public struct InfraCommand: CLICommand {
    public static let name = "infra"
    public static let abstract = "Render, validate and install the infra/ configuration."
    public static let subcommands: [any CLICommand.Type] = [InfraApplyCommand.self]
    public init(_ parsed: ParsedArguments) {}
    public func run(in context: CLIContext) async throws -> ExitCode { .usage }
}
