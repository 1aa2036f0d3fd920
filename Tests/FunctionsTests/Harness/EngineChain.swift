import Engine
import Foundation
import TestSupport
import HTTP
import InngestProtocol
import JSON
import SQLite
@testable import Functions

/// The production wiring on loopback: the embedded engine and a worker
/// serving `allFunctions` over HTTP, synced with each other; events go in
/// through the engine's event API and the engine drives every run.
final class EngineChain: @unchecked Sendable {
    let harness: FunctionsHarness
    let engine: EmbeddedEngine
    let worker: HTTPServer
    let inngest: Inngest
    let databasePath: String

    /// `clock` defaults to real time shifted clear of cron boundaries; pass a
    /// `ManualClock` to step over debounces and sleeps instantly.
    init(_ harness: FunctionsHarness, clock: (any EngineClock)? = nil) async throws {
        self.harness = harness
        databasePath = harness.dir.file("engine.sqlite")
        var config = EmbeddedEngineConfiguration(databasePath: databasePath)
        config.port = 0
        config.synchronous = .normal
        // Real time, but 30 s past midnight: no cron trigger of allFunctions
        // (every 5 minutes, hourly) fires while a test runs.
        config.clock = clock ?? ShiftedClock(startMilliseconds: 1_767_225_630_000) // 2026-01-01T00:00:30Z
        config.settings.retryBaseMilliseconds = 10
        config.settings.retryMaxMilliseconds = 50
        config.settings.callTimeoutSeconds = 120
        engine = EmbeddedEngine(configuration: config, client: harness.http)
        try engine.start()
        inngest = Inngest(appId: "joelclaw-e2e", functions: allFunctions(services: harness.services),
                          configuration: InngestConfiguration(mode: .dev, apiBaseURL: engine.baseURL, eventAPIBaseURL: engine.baseURL),
                          httpClient: harness.http, logSink: DiscardingLogSink())
        worker = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), handler: inngest.handler)
        try worker.start()
        _ = try await inngest.register(serveURL: "http://127.0.0.1:\(worker.port)/api/inngest")
    }

    func stop() async {
        await engine.stop()
        await worker.shutdown(drain: 1)
    }

    func send(_ name: String, _ data: JSON) async throws {
        _ = try await inngest.send(InngestEvent(name: name, data: data))
    }

    struct Run: Equatable {
        var function: String
        var status: String
        var output: JSON?
        var error: JSON?
    }

    /// Every run so far, read through a second connection to the engine's database.
    func runs() throws -> [Run] {
        try SQLiteDatabase(path: databasePath).query("SELECT function_id, status, output, error FROM runs ORDER BY started_at, id").map { row in
            let function = row.string(0) ?? ""
            return Run(function: function.hasPrefix("joelclaw-e2e-") ? String(function.dropFirst("joelclaw-e2e-".count)) : function,
                       status: row.string(1) ?? "", output: row.string(2).flatMap { try? JSON(parsing: $0) },
                       error: row.string(3).flatMap { try? JSON(parsing: $0) })
        }
    }

    /// Waits until `expected` runs exist, none is still running and the
    /// engine is idle (nothing due, nothing in flight): an event a finished
    /// run sent has made its run by then, so no run is still to come.
    func settled(expected: Int, timeout: Double = 90) async throws -> [Run] {
        let settled = await firstValue(timeout: timeout, every: 0.02) { () throws -> [Run]? in
            guard engine.activity?.isIdle == true else { return nil }
            let all = try runs()
            return all.count >= expected && all.allSatisfy({ $0.status != "Running" }) ? all : nil
        }
        if let settled { return settled }
        throw TestFailure("runs did not settle within \(timeout)s: \(try runs().map { "\($0.function):\($0.status)" })")
    }
}
