import Foundation
import JSON
import Ops

/// `joelclaw loop status <loopId> [--json]`: each story's state, attempts,
/// tool and last result, from the state store.
public struct LoopStatusCommand: CLICommand {
    public static let name = "status"
    public static let abstract = "Show a loop's stories: state, attempts, tool and last result."
    public static let arguments = ArgumentSpec(positionals: [.init("loopId", help: "The loop, as printed by 'joelclaw loop start'.")],
                                               flags: [.init("json", help: "Print JSON.")])
    let loopId: String
    let json: Bool
    public init(_ parsed: ParsedArguments) throws {
        loopId = try LoopCommand.loopId(parsed)
        json = parsed.flag("json")
    }

    public func run(in context: CLIContext) async throws -> ExitCode {
        let store = try LoopCommand.store(context)
        guard let loop = try store.loop(loopId) else { throw CommandFailure("no loop \(loopId) in the state store", exitCode: .dataError) }
        let stories = try store.stories(loopId)
        if json {
            let value: JSON = ["loopId": .string(loop.loopId), "project": .string(loop.project), "title": .string(loop.title),
                               "status": .string(loop.status), "reason": loop.reason.map(JSON.string) ?? .null,
                               "stories": .array(stories.map { s in
                                   ["id": .string(s.story.id), "title": .string(s.story.title), "status": .string(s.status.rawValue),
                                    "attempts": .number(JSONNumber(s.attempts)), "tool": s.tool.map(JSON.string) ?? .null,
                                    "lastResult": s.lastResult.map(JSON.string) ?? .null]
                               })]
            context.stdout.write(value.serialized() + "\n")
            return .success
        }
        var out = "\(loop.loopId)  \(loop.status)\(loop.reason.map { " (\($0))" } ?? "")  \(loop.title)\n\(loop.project)\n\n"
        let rows = [["STORY", "STATE", "ATTEMPTS", "TOOL", "LAST RESULT"]] + stories.map {
            [$0.story.id, $0.status.rawValue, "\($0.attempts)", $0.tool ?? "-", String(($0.lastResult ?? "-").prefix(60))]
        }
        out += LoopTable.render(rows)
        context.stdout.write(out)
        return .success
    }
}

/// `joelclaw loop list [--limit N] [--json]`: recent loops, newest first.
public struct LoopListCommand: CLICommand {
    public static let name = "list"
    public static let abstract = "List recent loops, newest first."
    public static let arguments = ArgumentSpec(options: [.init("limit", short: "n", value: "count", help: "How many (default: 20).")],
                                               flags: [.init("json", help: "Print JSON.")])
    let limit: Int
    let json: Bool
    public init(_ parsed: ParsedArguments) throws {
        let text = parsed.option("limit") ?? "20"
        guard let n = Int(text), (1...500).contains(n) else { throw UsageError("--limit must be 1...500") }
        limit = n
        json = parsed.flag("json")
    }

    public func run(in context: CLIContext) async throws -> ExitCode {
        let loops = try LoopCommand.store(context).recentLoops(limit: limit)
        if json {
            context.stdout.write(JSON.array(loops.map { l in
                ["loopId": .string(l.loopId), "status": .string(l.status), "title": .string(l.title), "project": .string(l.project),
                 "createdAt": .string(TimeFormat.iso8601(l.createdAt))]
            }).serialized() + "\n")
            return .success
        }
        let rows = [["LOOP", "STATUS", "STARTED", "TITLE"]] + loops.map { [$0.loopId, $0.status, TimeFormat.iso8601($0.createdAt), $0.title] }
        context.stdout.write(LoopTable.render(rows))
        return .success
    }
}

/// Left-aligned columns separated by two spaces.
enum LoopTable {
    static func render(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
