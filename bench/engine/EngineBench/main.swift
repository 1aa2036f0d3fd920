// Benchmarks the embedded engine end to end on loopback: an engine and a
// worker serving a 3-step function, both on real sockets, the worker called
// over HTTP exactly as in production.
//
//   latency     event POSTed to /e/{key} → run output readable via GET /v1/events/{id}/runs
//   throughput  sustained 3-step runs/s with `--in-flight` events outstanding
//   growth      SQLite file bytes per 1,000 runs (after a WAL checkpoint)
//
// Scale scenarios (`--scenario`, see ScaleScenarios.swift): `retained` (latency with
// `--retained` finished runs in the file, size per run, pruning), `waiting` (event
// ingest with `--waiting` runs in waitForEvent), `sleeping` (`--sleeping` runs waking
// at once), `scale` (all three).
//
// Usage: EngineBench [--latency-runs N] [--throughput-runs N] [--in-flight N] [--sync full|normal] [--client socket|urlsession] (urlsession: Apple platforms only)
//                    [--scenario basic|retained|waiting|sleeping|scale] [--retained N] [--waiting N] [--sleeping N]
import Engine
import Foundation
import HTTP
import InngestProtocol
import JSON
import SQLite

struct Options {
    var latencyRuns = 300
    var throughputRuns = 3_000
    var inFlight = 100
    var synchronous: SQLiteDatabase.Synchronous = .full
    var client = "socket"
    var scenario = "basic"
    var retained = 1_000_000
    var waiting = 10_000
    var sleeping = 10_000
    var soakRuns = 100_000

    init(_ args: [String]) {
        var i = 0
        while i + 1 < args.count {
            switch args[i] {
            case "--latency-runs": latencyRuns = Int(args[i + 1]) ?? latencyRuns
            case "--throughput-runs": throughputRuns = Int(args[i + 1]) ?? throughputRuns
            case "--in-flight": inFlight = Int(args[i + 1]) ?? inFlight
            case "--sync": synchronous = args[i + 1] == "normal" ? .normal : .full
            case "--client": client = args[i + 1]
            case "--scenario": scenario = args[i + 1]
            case "--retained": retained = Int(args[i + 1]) ?? retained
            case "--waiting": waiting = Int(args[i + 1]) ?? waiting
            case "--sleeping": sleeping = Int(args[i + 1]) ?? sleeping
            case "--soak-runs": soakRuns = Int(args[i + 1]) ?? soakRuns
            default: break
            }
            i += 2
        }
    }
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("engine-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }
let databasePath = directory.appendingPathComponent("engine.sqlite").path

let client: any HTTPClient = makeClient(options.client)

if options.scenario == "soak" {
    try await SoakScenario(total: options.soakRuns, inFlight: options.inFlight, directory: directory.path,
                           synchronous: options.synchronous).run()
    try? FileManager.default.removeItem(at: directory)
    exit(0)
}

if options.scenario != "basic" {
    let scale = ScaleScenarios(options: options, directory: directory.path, client: client)
    if ["retained", "scale"].contains(options.scenario) { try await scale.retained() }
    if ["waiting", "scale"].contains(options.scenario) { try await scale.waiting() }
    if ["sleeping", "scale"].contains(options.scenario) { try await scale.sleeping() }
    try? FileManager.default.removeItem(at: directory)
    exit(0)
}

let three = InngestFunction(id: "three", triggers: [.event("bench/three")]) { ctx -> String in
    let a: String = try await ctx.step.run("one") { "1" }
    let b: String = try await ctx.step.run("two") { a + "2" }
    return try await ctx.step.run("three") { b + "3" }
}

var configuration = EmbeddedEngineConfiguration(databasePath: databasePath)
configuration.port = 0
configuration.synchronous = options.synchronous
let engine = EmbeddedEngine(configuration: configuration, client: client)
try engine.start()
let base = engine.baseURL
let inngest = Inngest(appId: "bench", functions: [three],
                      configuration: InngestConfiguration(mode: .dev, apiBaseURL: base, eventAPIBaseURL: base),
                      httpClient: client, logSink: NoLog())
let worker = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), handler: inngest.handler)
try worker.start()
_ = try await inngest.register(serveURL: "http://127.0.0.1:\(worker.port)/api/inngest")

let eventBody = Array(#"{"name":"bench/three","data":{"n":1}}"#.utf8)

func sendEvent() async throws -> String {
    let response = try await client.send(HTTPClientRequest(method: "POST", url: base + "/e/bench", body: eventBody))
    guard response.status == 200, let id = (try JSON(parsing: response.body))["ids"]?[0]?.stringValue else {
        throw NSError(domain: "bench", code: response.status)
    }
    return id
}

/// Polls the REST API until the event's run is Completed (what any client would do).
func awaitOutput(_ eventID: String) async throws {
    while true {
        let response = try await client.send(HTTPClientRequest(method: "GET", url: base + "/v1/events/\(eventID)/runs"))
        let runs = (try JSON(parsing: response.body))["data"]?.arrayValue ?? []
        if let run = runs.first, run["status"] == "Completed" {
            guard run["output"] == "123" else { throw NSError(domain: "bench: wrong output \(run)", code: 1) }
            return
        }
        try await Task.sleep(nanoseconds: 200_000)
    }
}

print("engine bench: 3-step function, engine and worker on loopback, synchronous=\(options.synchronous.rawValue), client=\(options.client)")

// Warm-up.
for _ in 0..<20 { try await awaitOutput(try await sendEvent()) }

// 1. Latency, one run at a time.
var latencies: [Double] = []
for _ in 0..<options.latencyRuns {
    let start = ContinuousClock.now
    try await awaitOutput(try await sendEvent())
    let elapsed = ContinuousClock.now - start
    latencies.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
}
latencies.sort()
print(String(format: "latency  (event in → output readable via REST, n=%d): p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms",
             latencies.count, percentile(latencies, 0.5), percentile(latencies, 0.9), percentile(latencies, 0.99), latencies.last ?? 0))

// 2. Throughput with a fixed number of events in flight, and 3. file growth.
let probe = try SQLiteDatabase(path: databasePath)
_ = try probe.query("PRAGMA wal_checkpoint(TRUNCATE)")
let sizeBefore = fileBytes(databasePath)
let total = options.throughputRuns
let counter = Counter()
let start = ContinuousClock.now
try await withThrowingTaskGroup(of: Void.self) { group in
    for _ in 0..<options.inFlight {
        group.addTask {
            while counter.next() <= total {
                let id = try await sendEvent()
                guard let runID = engine.runs(forEvent: id).first?["run_id"]?.stringValue else { throw NSError(domain: "no run", code: 2) }
                guard await engine.waitForRun(runID, timeout: 60) else { throw NSError(domain: "run timed out", code: 3) }
            }
        }
    }
    try await group.waitForAll()
}
let seconds = Double((ContinuousClock.now - start).components.attoseconds) / 1e18 + Double((ContinuousClock.now - start).components.seconds)
print(String(format: "throughput (%d runs, %d in flight): %.0f runs/s  (%.2f s)", total, options.inFlight, Double(total) / seconds, seconds))
_ = try probe.query("PRAGMA wal_checkpoint(TRUNCATE)")
let sizeAfter = fileBytes(databasePath)
let perThousand = Double(sizeAfter - sizeBefore) / Double(total) * 1000
print(String(format: "growth   : %.0f KiB per 1,000 runs (file %d → %d bytes; events, runs, steps and finish events kept)",
             perThousand / 1024, sizeBefore, sizeAfter))
await engine.stop()
await worker.shutdown(drain: 1)

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}

func makeClient(_ name: String) -> any HTTPClient {
    #if canImport(Darwin)
    if name == "urlsession" { return URLSessionHTTPClient() }
    #else
    if name == "urlsession" { fatalError("--client urlsession: URLSessionHTTPClient is only compiled on Apple platforms") }
    #endif
    return SocketHTTPClient(configuration: .init(maxIdlePerHost: 256))
}
