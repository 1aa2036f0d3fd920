import Foundation
import JSON
import InngestProtocol
import Ops

/// `joelclaw loop`: start, inspect and cancel agent loops. The commands read
/// the loop state store through the functions' configuration (the same
/// file the worker uses) and send events through the configured Inngest.
public struct LoopCommand: CLICommand {
    public static let name = "loop"
    public static let abstract = "Start, inspect and cancel agent loops (plan, tests, implement, review, judge, merge, retro)."
    public static let subcommands: [any CLICommand.Type] = [LoopStartCommand.self, LoopStatusCommand.self,
                                                            LoopCancelCommand.self, LoopListCommand.self]
    public init(_ parsed: ParsedArguments) {}
    public func run(in context: CLIContext) async throws -> ExitCode { .usage }

    /// The state store the worker writes, found through the functions' configuration.
    static func store(_ context: CLIContext) throws -> LoopStateStore {
        let config = try FunctionsConfig.load(environment: context.environment)
        return LoopStateStore(database: try FunctionsDatabase(path: config.databasePath))
    }

    /// Sends one event through the CLI's connection (the SDK's event client,
    /// the embedded engine's keys when no server is configured).
    static func send(_ name: String, data: JSON, context: CLIContext) async throws {
        _ = try await InngestConnection(environment: context.environment, http: context.http)
            .send(InngestEvent(name: name, data: data))
    }

    static func loopId(_ parsed: ParsedArguments) throws -> String {
        let id = parsed.positional("loopId") ?? ""
        guard LoopIdentifier.isValid(id) else { throw UsageError("'\(id)' is not a loop id") }
        return id
    }
}

/// `joelclaw loop start`: sends `agent/loop.started` and prints the loop id.
public struct LoopStartCommand: CLICommand {
    public static let name = "start"
    public static let abstract = "Start a loop on a project from a PRD file or a goal; prints the loop id."
    public static let arguments = ArgumentSpec(
        positionals: [.init("project", help: "The project directory (inside a git repository).")],
        options: [
            .init("prd", value: "file", help: "PRD file, relative to the project (default: prd.json)."),
            .init("goal", value: "text", help: "A goal the planner turns into stories (instead of a PRD file)."),
            .init("context", value: "files", help: "Comma-separated files the planner reads with --goal."),
            .init("max-retries", value: "n", help: "Attempts per story before it fails (default: 2)."),
            .init("max-iterations", value: "n", help: "Stories attempted before the loop stops (default: 100)."),
            .init("retry-ladder", value: "tools", help: "Comma-separated tools per attempt, e.g. codex,claude,pi."),
            .init("id", value: "loopId", help: "Use this loop id instead of a fresh one."),
        ],
        flags: [.init("push", help: "Push the target branch after a successful merge.")])

    let parsed: ParsedArguments
    public init(_ parsed: ParsedArguments) throws {
        self.parsed = parsed
        if parsed.option("prd") != nil && parsed.option("goal") != nil { throw UsageError("Give --prd or --goal, not both") }
    }

    /// The event data for this invocation, with the project made absolute.
    public func eventData(in context: CLIContext, now: Date = Date()) throws -> JSON {
        let loopId = parsed.option("id") ?? LoopIdentifier.make(now: now)
        guard LoopIdentifier.isValid(loopId) else { throw UsageError("--id '\(loopId)' is not a valid loop id") }
        var data = JSONObject([("loopId", .string(loopId)), ("project", .string(context.absolute(parsed.positional("project") ?? ".")))])
        if let goal = parsed.option("goal") { data["goal"] = .string(goal) } else { data["prdPath"] = .string(parsed.option("prd") ?? "prd.json") }
        if let files = parsed.option("context") {
            data["context"] = .array(files.split(separator: ",").map { .string(context.absolute(String($0))) })
        }
        for (option, key) in [("max-retries", "maxRetries"), ("max-iterations", "maxIterations")] {
            guard let text = parsed.option(option) else { continue }
            guard let n = Int(text), (1...1000).contains(n) else { throw UsageError("--\(option) must be 1...1000") }
            data[key] = .number(JSONNumber(n))
        }
        if let ladder = parsed.option("retry-ladder") { data["retryLadder"] = .array(ladder.split(separator: ",").map { .string(String($0)) }) }
        data["push"] = .bool(parsed.flag("push"))
        data["originSession"] = .string("pid-\(getppid())")
        return .object(data)
    }

    public func run(in context: CLIContext) async throws -> ExitCode {
        let data = try eventData(in: context)
        try await LoopCommand.send("agent/loop.started", data: data, context: context)
        context.stdout.write((data["loopId"]?.stringValue ?? "") + "\n")
        return .success
    }
}

/// `joelclaw loop cancel <loopId> [reason]`: flags the loop cancelled (its
/// running tool is stopped within a poll interval) and sends `agent/loop.cancelled`.
public struct LoopCancelCommand: CLICommand {
    public static let name = "cancel"
    public static let abstract = "Cancel a loop: stop its running tool and every later stage."
    public static let arguments = ArgumentSpec(positionals: [.init("loopId", help: "The loop to cancel."),
                                                             .init("reason", help: "Why (recorded with the loop).", optional: true)])
    let loopId: String
    let reason: String
    public init(_ parsed: ParsedArguments) throws {
        loopId = try LoopCommand.loopId(parsed)
        reason = parsed.positional("reason") ?? "cancelled from the command line"
    }

    public func run(in context: CLIContext) async throws -> ExitCode {
        guard try LoopCommand.store(context).cancel(loopId, reason: reason, now: Date()) else {
            throw CommandFailure("no loop \(loopId) in the state store", exitCode: .dataError)
        }
        try await LoopCommand.send("agent/loop.cancelled", data: ["loopId": .string(loopId), "reason": .string(reason)],
                                   context: context)
        context.stdout.write("cancelled \(loopId)\n")
        return .success
    }
}
