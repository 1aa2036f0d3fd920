import Foundation
import InngestProtocol
import JSON

/// `joelclaw runs [--event ID]`: the function runs an event started, or the
/// runs of the most recent events.
public struct RunsCommand: CLICommand {
    public static let name = "runs"
    public static let abstract = "List function runs for an event, or for the most recent events."
    public static let discussion = """
    Reads $INNGEST_API_BASE_URL/v1/events/<id>/runs (and /v1/events for recent events)
    with the Inngest SDK's API client: the bearer token is the hashed signing key,
    and the fallback key is tried when the server answers 401 or 403.
    """
    public static let arguments = ArgumentSpec(
        options: [
            .init("event", short: "e", value: "id", help: "Event id (as printed by 'joelclaw send')."),
            .init("limit", short: "n", value: "count", help: "How many recent events to show without --event (default: 10)."),
        ],
        flags: [.init("json", help: "Print JSON: {\"events\": [{\"id\", \"name\", \"runs\": [...]}]}.")])

    var eventID: String?
    var limit: Int
    var json: Bool

    public init(_ parsed: ParsedArguments) throws {
        eventID = parsed.option("event")
        json = parsed.flag("json")
        if let l = parsed.option("limit") {
            guard let n = Int(l), (1...100).contains(n) else { throw UsageError("--limit must be 1...100, got '\(l)'") }
            limit = n
        } else {
            limit = 10
        }
    }

    public func run(in context: CLIContext) async throws -> ExitCode {
        let api = try InngestConnection(environment: context.environment, http: context.http)
        var groups: [(id: String, name: String?, runs: [JSON])] = []
        if let eventID {
            groups = [(eventID, nil, try await api.query { try await $0.runs(ofEvent: eventID) })]
        } else {
            let recent: [JSON]
            do { recent = try await api.query { [limit] in try await $0.recentEvents(limit: limit) } } catch let e as CommandFailure where e.httpStatus == 404 {
                throw CommandFailure("\(e.message)\nThis server does not list recent events; pass --event <id>, as printed by 'joelclaw send'.")
            }
            for event in recent {
                guard let id = (event["internal_id"] ?? event["id"])?.stringValue else { continue }
                groups.append((id, event["name"]?.stringValue, try await api.query { try await $0.runs(ofEvent: id) }))
            }
        }
        if json {
            let events = groups.map { g in
                JSON.object(JSONObject([("id", .string(g.id)), ("name", g.name.map(JSON.string) ?? .null), ("runs", .array(g.runs))]))
            }
            context.stdout.write(JSON.object(JSONObject([("events", .array(events))])).serialized() + "\n")
            return .success
        }
        var out = ""
        for g in groups {
            out += "event \(g.id)\(g.name.map { " (\($0))" } ?? "")\n"
            if g.runs.isEmpty { out += "  no runs\n" }
            for r in g.runs {
                let fields = [r["run_id"], r["function_id"], r["status"], r["run_started_at"], r["ended_at"]]
                out += "  " + fields.map { $0?.stringValue ?? "-" }.joined(separator: "  ") + "\n"
            }
        }
        if groups.isEmpty { out = "no events\n" }
        context.stdout.write(out)
        return .success
    }
}
