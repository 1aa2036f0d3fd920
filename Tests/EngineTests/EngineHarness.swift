import Engine
import Foundation
import HTTP
import InngestProtocol
import JSON
import SQLite
import TestSupport

/// An embedded engine and a worker serving real Inngest functions, both on
/// loopback sockets bound to free ports, wired together exactly as in
/// production: the engine calls the worker's serve endpoint over HTTP, the
/// worker syncs and sends events to the engine's API over HTTP.
final class EngineHarness: @unchecked Sendable {
    let engine: EmbeddedEngine
    let worker: HTTPServer
    let inngest: Inngest
    let clock: ManualClock?
    let databasePath: String
    /// Holds the database's directory, removed when the harness is released.
    let scratch: TemporaryDirectory
    let client: any HTTPClient
    /// Counts the calls the worker received (`"POST"`).
    let workerCalls: Tally

    static func start(appId: String = "test-app", functions: [InngestFunction], manualClock: Bool = false,
                      databasePath: String? = nil, sdkSigningKey: String? = nil,
                      configure: (inout EmbeddedEngineConfiguration) -> Void = { _ in }) async throws -> EngineHarness {
        let scratch = try TemporaryDirectory("enginetests")
        let path = databasePath ?? scratch.file("engine.sqlite")
        var config = EmbeddedEngineConfiguration(databasePath: path)
        config.port = 0
        config.synchronous = .normal
        config.settings.retryBaseMilliseconds = 10
        config.settings.retryMaxMilliseconds = 50
        config.settings.callTimeoutSeconds = 20
        let clock = manualClock ? ManualClock(startMilliseconds: 1_767_225_600_000) : nil
        if let clock { config.clock = clock }
        configure(&config)
        let client = SocketHTTPClient()
        let engine = EmbeddedEngine(configuration: config, client: client)
        try engine.start()

        // With a key the SDK runs in cloud mode: it verifies every call's signature and
        // authenticates its sync, as against `inngest start`.
        let inngestConfig = try InngestConfiguration(mode: sdkSigningKey == nil ? .dev : .cloud,
                                                     signingKey: sdkSigningKey.map { try SigningKey(parsing: $0) },
                                                     eventKey: sdkSigningKey == nil ? nil : "bench-key",
                                                     apiBaseURL: engine.baseURL, eventAPIBaseURL: engine.baseURL)
        let inngest = Inngest(appId: appId, functions: functions, configuration: inngestConfig, httpClient: client,
                              logSink: SilentLogSink())
        let calls = Tally()
        let handler = inngest.handler
        let worker = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, eventLoops: 1),
                                handler: ClosureHTTPHandler { request in
                                    if request.method == "POST" { calls.hit("POST") }
                                    return await handler.handle(request)
                                })
        try worker.start()
        _ = try await inngest.register(serveURL: "http://127.0.0.1:\(worker.port)/api/inngest")
        return EngineHarness(engine: engine, worker: worker, inngest: inngest, clock: clock, databasePath: path,
                             scratch: scratch, client: client, workerCalls: calls)
    }

    private init(engine: EmbeddedEngine, worker: HTTPServer, inngest: Inngest, clock: ManualClock?, databasePath: String,
                 scratch: TemporaryDirectory, client: any HTTPClient, workerCalls: Tally) {
        self.engine = engine
        self.worker = worker
        self.inngest = inngest
        self.clock = clock
        self.databasePath = databasePath
        self.scratch = scratch
        self.client = client
        self.workerCalls = workerCalls
    }

    func stop() async {
        await engine.stop()
        await worker.shutdown(drain: 1)
    }

    /// Sends one event through the engine's HTTP API (as any client would); returns its id.
    @discardableResult
    func send(_ name: String, _ data: JSON = [:]) async throws -> String {
        let ids = try await inngest.send(InngestEvent(name: name, data: data))
        return ids[0]
    }

    /// Polls until the event has started `count` runs and all of them finished; returns them.
    func finishedRuns(forEvent id: String, count: Int = 1, timeout: Double = 20) async throws -> [JSON] {
        let finished = await firstValue(timeout: timeout) { () -> [JSON]? in
            let runs = engine.runs(forEvent: id)
            return runs.count >= count && runs.allSatisfy({ $0["status"]?.stringValue != "Running" }) ? runs : nil
        }
        guard let finished else { throw TestFailure("event \(id): runs did not finish in \(timeout)s: \(engine.runs(forEvent: id))") }
        return finished
    }

    /// A read-only connection to the engine's file for probes (never changes journal mode).
    func probe() throws -> SQLiteDatabase {
        var options = SQLiteDatabase.Options()
        options.readOnly = true
        options.journalModeWAL = false
        return try SQLiteDatabase(path: databasePath, options: options)
    }

    /// Number of durable queue items of `kind` (`sleep`, `wait_timeout`, `call`, ...), read
    /// through a second connection; lets clock-driven tests advance time only once the
    /// timer they mean to fire is on disk.
    func queued(_ kind: String) throws -> Int {
        try probe().queryOne("SELECT count(*) FROM queue WHERE kind = ?", [.text(kind)])?.int(0) ?? 0
    }

    /// Number of `call` items queued as retry number `attempt`.
    func queuedRetries(attempt: Int) throws -> Int {
        try probe().queryOne("SELECT count(*) FROM queue WHERE kind = 'call' AND attempt = ?",
                                                       [.integer(Int64(attempt))])?.int(0) ?? 0
    }

    /// Waits until `count` queue items of `kind` exist.
    func awaitQueued(_ kind: String, count: Int = 1) async throws {
        try await waitUntil("\(count) \(kind) item(s) queued") { try queued(kind) >= count }
    }

    /// Waits until the engine is idle (nothing due at the clock's time, nothing in flight):
    /// with a manual clock, what has not happened by then will not happen until time moves,
    /// so "nothing happened" is asserted after this instead of after a sleep.
    func settle() async throws {
        try await waitUntil("the engine to settle") { engine.activity?.isIdle == true }
    }

    /// Waits until `count` calls are parked for a concurrency slot.
    func awaitParkedCalls(_ count: Int) async throws {
        try await waitUntil("\(count) call(s) waiting for a concurrency slot") { engine.activity?.waitingForConcurrency == count }
    }

    /// Issues a raw request against the engine API.
    func api(_ method: String, _ path: String, body: [UInt8] = [], headers: HTTPHeaders = [:]) async throws -> (Int, JSON) {
        let response = try await client.send(HTTPClientRequest(method: method, url: engine.baseURL + path, headers: headers, body: body))
        return (response.status, (try? JSON(parsing: response.body)) ?? .null)
    }
}

struct SilentLogSink: InngestLogSink {
    func log(_ level: InngestLogLevel, _ message: String, fields: [(String, String)]) {}
}

/// Thread-safe record of what function bodies did, for exactly-once assertions.
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    func hit(_ key: String) { lock.lock(); counts[key, default: 0] += 1; lock.unlock() }
    func count(_ key: String) -> Int { lock.lock(); defer { lock.unlock() }; return counts[key] ?? 0 }
}
