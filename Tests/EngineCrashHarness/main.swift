// A worker and its embedded engine in one process, for the crash-durability
// test: the test starts it, sends events, kills it with SIGKILL mid-run,
// starts it again on the same database and checks every run completes with
// each memoised step executed exactly once.
//
// Usage: EngineCrashHarness <database> <step-log> <engine-port> <worker-port>
// Each step appends "<key>:<step>\n" to <step-log> when it executes. Step s2
// then waits until the file "<step-log>.open" exists, so a run cannot finish
// before the test has killed the first life (it creates the file before the
// second). Ports may be 0 (pick free ones); the chosen ones are printed as
// "READY <engine> <worker>".
import Engine
import Foundation
import HTTP
import InngestProtocol
import JSON

let arguments = CommandLine.arguments
guard arguments.count == 5, let enginePort = Int(arguments[3]), let workerPort = Int(arguments[4]) else {
    FileHandle.standardError.write(Data("usage: EngineCrashHarness <database> <step-log> <engine-port> <worker-port>\n".utf8))
    exit(64)
}
let databasePath = arguments[1]
let stepLog = arguments[2]

/// Appends one line with a single write(2) on an O_APPEND descriptor: the line
/// is in the kernel once the call returns, so SIGKILL cannot lose it.
struct StepLog: Sendable {
    let path: String
    func record(_ line: String) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { return }
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }
}
let log = StepLog(path: stepLog)

struct NoLog: InngestLogSink { func log(_ level: InngestLogLevel, _ message: String, fields: [(String, String)]) {} }

let three = InngestFunction(id: "three", triggers: [.event("crash/go")]) { ctx -> String in
    let key = ctx.event.data["k"]?.stringValue ?? "?"
    var last = ""
    for step in ["s1", "s2", "s3"] {
        last = try await ctx.step.run(step) { () -> String in
            log.record("\(key):\(step)")
            if step == "s2" {
                while !FileManager.default.fileExists(atPath: stepLog + ".open") { try await Task.sleep(nanoseconds: 10_000_000) }
            }
            return "\(key):\(step)"
        }
    }
    return last
}

let client = SocketHTTPClient()
// As in the real worker: the engine binds first (its address configures the SDK),
// dispatches only once the worker listens.
var configuration = EmbeddedEngineConfiguration(databasePath: databasePath)
configuration.port = enginePort
configuration.settings.retryBaseMilliseconds = 20
configuration.settings.retryMaxMilliseconds = 200
let engine = EmbeddedEngine(configuration: configuration, client: client)
try engine.start(dispatching: false)
let engineURL = engine.baseURL
let inngest = Inngest(appId: "crash", functions: [three],
                      configuration: InngestConfiguration(mode: .dev, apiBaseURL: engineURL, eventAPIBaseURL: engineURL),
                      httpClient: client, logSink: NoLog())
let worker = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: workerPort, eventLoops: 1), handler: inngest.handler)
try worker.start()
engine.beginDispatching()
_ = try await inngest.register(serveURL: "http://127.0.0.1:\(worker.port)/api/inngest")
FileHandle.standardOutput.write(Data("READY \(engine.port) \(worker.port)\n".utf8))
// Never outlive the test that started us: exit once orphaned (the test run
// was interrupted before it could kill us).
let parent = getppid()
while getppid() == parent { try await Task.sleep(nanoseconds: 200_000_000) }
exit(0)
