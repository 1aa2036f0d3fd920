import Foundation
import HTTP
import InngestProtocol
import JSON
@testable import Functions
import TestSupport

/// Everything a function test needs, real and throwaway: a directory tree
/// (vault, scratch, database, NAS, repos), an Inngest event API on loopback
/// that records what the functions send, the real services, and a driver.
final class FunctionsHarness: @unchecked Sendable {
    let dir: TemporaryDirectory
    let eventAPI: LoopbackServer
    let config: FunctionsConfig
    let services: FunctionServices
    let inngest: Inngest
    let http = SocketHTTPClient()

    /// `adjust` edits the configuration (commands, LLM URL, health targets…)
    /// before the services are built from it.
    init(_ adjust: (inout FunctionsConfig, TemporaryDirectory) throws -> Void = { _, _ in },
         now: @escaping @Sendable () -> Date = { Date() }) throws {
        dir = try TemporaryDirectory("functions-harness")
        let counter = Counter()
        eventAPI = try LoopbackServer { request in
            let count = (try? JSON(parsing: request.body))?.arrayValue?.count ?? 0
            let ids = (0..<count).map { _ in JSON.string("01SENT\(counter.next())") }
            return .json(JSON.object(JSONObject([(key: "ids", value: .array(ids)), (key: "status", value: 200)])).serialized())
        }
        let root = dir.path
        var c = try FunctionsConfig(settings: JSONObject(), environment: ["HOME": root + "/home", "TMPDIR": root + "/tmp"])
        c.vaultDir = root + "/vault"
        c.systemLogPath = root + "/vault/system/system-log.jsonl"
        c.scratchDir = root + "/scratch"
        c.databasePath = root + "/state/functions.sqlite"
        c.memoryLogDir = root + "/memory"
        c.nas = .local(root: root + "/nas")
        c.commandTimeout = 120
        c.contentSync.repoDir = root + "/site"
        c.contentSync.directories = [
            ContentDirectory(name: "adrs", source: root + "/vault/docs/decisions", destination: "apps/web/content/adrs", skipFiles: ["readme.md"]),
            ContentDirectory(name: "discoveries", source: root + "/vault/Resources/discoveries",
                             destination: "apps/web/content/discoveries", skipFiles: []),
        ]
        c.health.inventoryPath = root + "/inventory.json"
        c.llm.baseURL = "http://127.0.0.1:9"  // closed unless a test points it at its stand-in
        try adjust(&c, dir)
        config = c
        var s = try FunctionServices.live(config: c, http: http, environment: ["ANTHROPIC_API_KEY": "test-key"])
        s.now = now
        services = s
        inngest = Inngest(appId: "joelclaw-test", functions: allFunctions(services: s),
                          configuration: InngestConfiguration(mode: .dev, eventAPIBaseURL: eventAPI.url),
                          httpClient: http, logSink: DiscardingLogSink())
    }

    func run(_ functionId: String, _ name: String, _ data: JSON) async throws -> StepDriver.Report {
        try await StepDriver(inngest: inngest).run(functionId, event: InngestEvent(name: name, data: data))
    }

    /// Every event the functions sent, in order.
    var sentEvents: [InngestEvent] {
        eventAPI.requests.flatMap { request -> [InngestEvent] in
            ((try? JSON(parsing: request.body))?.arrayValue ?? []).compactMap { try? InngestEvent(json: $0) }
        }
    }

    /// Runs `event` and then, breadth first, every function triggered by the
    /// events that run sent, like the server would. Returns each run's report.
    func runChain(_ event: InngestEvent, limit: Int = 20) async throws -> [(function: String, event: String, report: StepDriver.Report)] {
        var queue = [event]
        var seen = sentEvents.count
        var results: [(function: String, event: String, report: StepDriver.Report)] = []
        while !queue.isEmpty, results.count < limit {
            let next = queue.removeFirst()
            for function in inngest.functions where function.triggers.contains(where: { $0.eventName == next.name }) {
                let report = try await StepDriver(inngest: inngest).run(function.id, event: next)
                results.append((function.id, next.name, report))
                let all = sentEvents
                queue += all[seen...]
                seen = all.count
            }
        }
        return results
    }

    func systemLogLines() throws -> [JSON] {
        guard let data = FileManager.default.contents(atPath: config.systemLogPath) else { return [] }
        return try data.split(separator: UInt8(ascii: "\n")).map { try JSON(parsing: Array($0)) }
    }
}

