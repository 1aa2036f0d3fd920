// The web console over a signed embedded engine and a worker serving a few
// test functions, for the browser test (Tests/Browser/console_test.py).
//
// Usage: ConsoleBrowserHarness <directory> <service-port>
// Writes the engine's database and an inventory with one TCP service on
// <service-port> into <directory>, binds free loopback ports and prints
// "READY <console-url> <signing-key>". Runs until stdin closes or SIGTERM.
import Console
import Engine
import Foundation
import HTTP
import InngestProtocol
import JSON
import Monitoring
import Ops

let arguments = CommandLine.arguments
guard arguments.count == 3, let servicePort = Int(arguments[2]), (1...65535).contains(servicePort) else {
    FileHandle.standardError.write(Data("usage: ConsoleBrowserHarness <directory> <service-port>\n".utf8))
    exit(64)
}
let directory = arguments[1]
let key = "signkey-test-" + (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()

struct NoLog: InngestLogSink { func log(_ level: InngestLogLevel, _ message: String, fields: [(String, String)]) {} }

/// Fails the first run it sees, completes every later one: a failed run whose re-run succeeds.
final class FirstRunFails: @unchecked Sendable {
    private let lock = NSLock()
    private var failed = false
    func shouldFail() -> Bool { lock.lock(); defer { lock.unlock() }; if failed { return false }; failed = true; return true }
}
let flakiness = FirstRunFails()

let functions = [
    InngestFunction(id: "greeter", triggers: [.event("browser/greet")]) { ctx -> JSON in
        let who: String = try await ctx.step.run("read name") { ctx.event.data["who"]?.stringValue ?? "nobody" }
        try await ctx.step.sleep("short pause", for: .seconds(2))
        let loud: String = try await ctx.step.run("shout") { who.uppercased() }
        return ["greeting": .string("hello " + loud)]
    },
    InngestFunction(id: "sleeper", triggers: [.event("browser/sleep")]) { ctx -> String in
        try await ctx.step.sleep("long nap", for: .minutes(60))
        return "woke"
    },
    InngestFunction(id: "flaky", triggers: [.event("browser/flaky")], config: FunctionConfiguration(retries: 0)) { ctx -> String in
        let fail = flakiness.shouldFail()
        let _: Int = try await ctx.step.run("attempt") {
            if fail { throw NonRetriableError("the first run always fails") }
            return 1
        }
        return "fine"
    },
]

let inventoryPath = directory + "/inventory.json"
try! Data("""
{"schemaVersion": 1, "machines": [{"name": "test-box", "address": "127.0.0.1", "services": [
  {"name": "flappy", "kind": "tcp", "ports": [\(servicePort)], "timeoutSeconds": 0.5}
]}]}
""".utf8).write(to: URL(fileURLWithPath: inventoryPath))

let client = SocketHTTPClient()
var engineConfig = EmbeddedEngineConfiguration(databasePath: directory + "/engine.sqlite")
engineConfig.port = 0
engineConfig.synchronous = .normal
engineConfig.signingKey = key
engineConfig.eventKeys = ["browser-event-key"]
let engine = EmbeddedEngine(configuration: engineConfig, client: client)
try! engine.start()
let configuration = try! InngestConfiguration(mode: .cloud, signingKey: try SigningKey(parsing: key), eventKey: "browser-event-key",
                                              apiBaseURL: engine.baseURL, eventAPIBaseURL: engine.baseURL)
let inngest = Inngest(appId: "browser", functions: functions, configuration: configuration, httpClient: client, logSink: NoLog())
let metrics = Metrics()
let requests = metrics.counter("joelclaw_http_requests_total", help: "Requests.", labels: ["method", "route", "status"])
let sources = ConsoleSources(
    api: InngestAPIClient(configuration: configuration, httpClient: client),
    functions: { inngest.syncedFunctionConfigs },
    send: { try await inngest.send($0) },
    checkServices: {
        let inventory = try Inventory.load(from: inventoryPath)
        let started = Date()
        let statuses = await HealthChecker(http: client).check(inventory)
        return StatusReport(inventory: inventory, statuses: statuses, checkedAt: started, duration: Date().timeIntervalSince(started))
    },
    metrics: { metrics.exposition() },
    now: { Int64(Date().timeIntervalSince1970 * 1000) })
let console = ConsoleHandler(prefix: "/console", auth: ConsoleAuth(signingKeys: [key]), sources: sources)
var router = HTTPRouter()
for method in ["GET", "PUT", "POST"] { router.add(method, "/api/inngest", handler: inngest.handler) }
router.fallback = { request in
    let response = console.serves(request.path) ? await console.handle(request) : HTTPResponse(status: 404)
    requests.increment([request.method, console.serves(request.path) ? "/console" : "other", String(response.status)])
    return response
}
let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, eventLoops: 1), handler: router)
try! server.start()
let registered = DispatchSemaphore(value: 0)
Task.detached {
    _ = try? await inngest.register(serveURL: "http://127.0.0.1:\(server.port)/api/inngest")
    registered.signal()
}
registered.wait()
FileHandle.standardOutput.write(Data("READY http://127.0.0.1:\(server.port)/console \(key)\n".utf8))
// Until the test closes our stdin.
while readLine() != nil {}
exit(0)
