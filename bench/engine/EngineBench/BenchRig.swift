import Engine
import Foundation
import HTTP
import InngestProtocol
import JSON
import SQLite

/// One engine and one worker on loopback for a scale scenario, wired as in
/// production: events go to the engine's `POST /e/{key}`, the engine calls
/// the worker over HTTP.
final class BenchRig: @unchecked Sendable {
    let engine: EmbeddedEngine
    let worker: HTTPServer
    let client: any HTTPClient
    let databasePath: String
    let clock: ManualClock?

    private init(engine: EmbeddedEngine, worker: HTTPServer, client: any HTTPClient, databasePath: String, clock: ManualClock?) {
        self.engine = engine
        self.worker = worker
        self.client = client
        self.databasePath = databasePath
        self.clock = clock
    }

    static func start(functions: [InngestFunction], databasePath: String, synchronous: SQLiteDatabase.Synchronous,
                      manualClock: Bool = false, client: any HTTPClient) async throws -> BenchRig {
        let clock = manualClock ? ManualClock(startMilliseconds: SystemClock().nowMilliseconds()) : nil
        let engine = try startEngine(databasePath: databasePath, synchronous: synchronous, clock: clock, client: client)
        let base = engine.baseURL
        let inngest = Inngest(appId: "bench", functions: functions,
                              configuration: InngestConfiguration(mode: .dev, apiBaseURL: base, eventAPIBaseURL: base),
                              httpClient: client, logSink: NoLog())
        let worker = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), handler: inngest.handler)
        try worker.start()
        _ = try await inngest.register(serveURL: "http://127.0.0.1:\(worker.port)/api/inngest")
        return BenchRig(engine: engine, worker: worker, client: client, databasePath: databasePath, clock: clock)
    }

    static func startEngine(databasePath: String, synchronous: SQLiteDatabase.Synchronous, clock: ManualClock?,
                            client: any HTTPClient) throws -> EmbeddedEngine {
        var configuration = EmbeddedEngineConfiguration(databasePath: databasePath)
        configuration.port = 0
        configuration.synchronous = synchronous
        if let clock { configuration.clock = clock }
        let engine = EmbeddedEngine(configuration: configuration, client: client)
        try engine.start()
        return engine
    }

    /// Stops the engine, runs `whileStopped` (which may change the file behind
    /// its back), and starts a new engine on the same file for the same worker.
    func restartEngine(synchronous: SQLiteDatabase.Synchronous, whileStopped: () throws -> Void) async throws -> BenchRig {
        await engine.stop()
        try whileStopped()
        let fresh = try Self.startEngine(databasePath: databasePath, synchronous: synchronous, clock: clock, client: client)
        return BenchRig(engine: fresh, worker: worker, client: client, databasePath: databasePath, clock: clock)
    }

    func stop() async {
        await engine.stop()
        await worker.shutdown(drain: 1)
    }

    /// POSTs events (JSON object texts) in one request; returns their ids.
    func post(_ events: [String]) async throws -> [String] {
        let body = Array(("[" + events.joined(separator: ",") + "]").utf8)
        let response = try await client.send(HTTPClientRequest(method: "POST", url: engine.baseURL + "/e/bench", body: body))
        guard response.status == 200, let ids = (try JSON(parsing: response.body))["ids"]?.arrayValue else {
            throw BenchError("event POST answered \(response.status)")
        }
        return ids.compactMap(\.stringValue)
    }

    /// Polls the REST API until the event's run is Completed (what any client would do); returns its output.
    @discardableResult
    func awaitOutput(_ eventID: String) async throws -> JSON {
        while true {
            let response = try await client.send(HTTPClientRequest(method: "GET", url: engine.baseURL + "/v1/events/\(eventID)/runs"))
            let runs = (try JSON(parsing: response.body))["data"]?.arrayValue ?? []
            if let run = runs.first, run["status"] == "Completed" { return run["output"] ?? .null }
            try await Task.sleep(nanoseconds: 200_000)
        }
    }

    /// A second connection to the engine's file, for counting rows and sizing it.
    func probe() throws -> SQLiteDatabase { try SQLiteDatabase(path: databasePath) }

    func count(_ sql: String) throws -> Int { try probe().queryOne(sql)?.int(0) ?? 0 }

    /// Waits (polling every 20 ms) until `sql` counts at least `target`, up to `timeout` seconds.
    func awaitCount(_ sql: String, atLeast target: Int, timeout: Double) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while try count(sql) < target {
            guard Date() < deadline else { throw BenchError("timed out waiting for \(target) from \(sql)") }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    /// File size after folding the WAL into it.
    func checkpointedBytes() throws -> Int {
        _ = try probe().query("PRAGMA wal_checkpoint(TRUNCATE)")
        return fileBytes(databasePath)
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

struct NoLog: InngestLogSink { func log(_ level: InngestLogLevel, _ message: String, fields: [(String, String)]) {} }

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let index = min(sorted.count - 1, max(0, Int((Double(sorted.count) * p).rounded(.up)) - 1))
    return sorted[index]
}

func fileBytes(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
}

/// Milliseconds `body` took.
func timed(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
}
