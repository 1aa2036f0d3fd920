import Foundation
import InngestProtocol
import JSON

/// `joelclaw send <event> [--data JSON]`: sends one event to Inngest.
public struct SendCommand: CLICommand {
    public static let name = "send"
    public static let abstract = "Send an event to the configured Inngest server or the embedded engine."
    public static let discussion = """
    Posts [{"name": <event>, "data": <data>}] to $INNGEST_EVENT_API_BASE_URL/e/$INNGEST_EVENT_KEY
    with the Inngest SDK's event client (retried twice when the server cannot be
    reached or answers 5xx) and prints the id the server assigned.

    EXAMPLE:
      joelclaw send system/adr.edited --data '{"path": "docs/decisions/0025.md"}'
    """
    public static let arguments = ArgumentSpec(
        positionals: [.init("event", help: "Event name, e.g. system/health.requested.")],
        options: [
            .init("data", short: "d", value: "json", help: "Event data, a JSON object (default: {})."),
            .init("id", value: "id", help: "Idempotency id: Inngest ignores repeats of the same id."),
        ],
        flags: [.init("json", help: "Print the server's JSON answer.")])

    var event: String
    var data: String?
    var id: String?
    var json: Bool

    public init(_ parsed: ParsedArguments) throws {
        event = parsed.positional("event") ?? ""
        guard !event.trimmingCharacters(in: .whitespaces).isEmpty else { throw UsageError("The event name must not be empty") }
        data = parsed.option("data")
        id = parsed.option("id")
        json = parsed.flag("json")
    }

    public func run(in context: CLIContext) async throws -> ExitCode {
        var payload: JSON = .object(JSONObject())
        if let data {
            do { payload = try JSON(parsing: data) } catch {
                throw CommandFailure("--data is not valid JSON: \(error)", exitCode: .dataError)
            }
            guard payload.objectValue != nil else {
                throw CommandFailure("--data must be a JSON object, got \(data.prefix(40))", exitCode: .dataError)
            }
        }
        let connection = try InngestConnection(environment: context.environment, http: context.http)
        let ids = try await connection.send(InngestEvent(name: event, data: payload, id: id))
        if json {
            context.stdout.write(JSON.object(JSONObject([("ids", .array(ids.map(JSON.string)))])).serialized() + "\n")
        } else {
            context.stdout.write("sent \(event): \(ids.isEmpty ? "(no id returned)" : ids.joined(separator: ", "))\n")
        }
        return .success
    }
}

