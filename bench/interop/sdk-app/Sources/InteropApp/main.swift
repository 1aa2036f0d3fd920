import Foundation
import HTTP
import InngestProtocol
import JSON

// Serves the interop functions on 127.0.0.1 (port: first argument, default a free
// one) at /api/inngest, syncs them with the server, runs every scenario and prints
// PASS/FAIL per scenario; exits 1 if any failed.
//
// Environment: the SDK's own. Dev server: INNGEST_DEV=http://127.0.0.1:<port>.
// Self-hosted `inngest start`: INNGEST_BASE_URL=http://127.0.0.1:<port> with
// INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY. INTEROP_API_KEY: the key for reading
// the server's API (default INNGEST_SIGNING_KEY). INTEROP_ONLY=name;name runs a subset.
// INTEROP_EXPECT_KEY_FALLBACK=1: the primary key is stale and the server checks the
// bearer key, so the SDK's API calls must show a 401 and then the fallback's 200.

let environment = ProcessInfo.processInfo.environment
guard let serverURL = environment["INNGEST_DEV"] ?? environment["INNGEST_BASE_URL"],
      serverURL.hasPrefix("http://127.0.0.1:") else {
    FileHandle.standardError.write(Data("set INNGEST_DEV or INNGEST_BASE_URL to http://127.0.0.1:<port>\n".utf8))
    exit(2)
}
let http = SocketHTTPClient()
let inngest = Inngest(appId: "interop", functions: InteropFunctions.all,
                      configuration: try InngestConfiguration(environment: environment), httpClient: APIRecorder(base: http))
var router = HTTPRouter()
for method in ["GET", "PUT"] { router.add(method, "/api/inngest", handler: inngest.handler) }
router.add("POST", "/api/inngest", WireWatch.wrap(inngest.handler))
let port = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 0
let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: port), handler: router)
try server.start()

var checks = Checks(inngest: inngest,
                    api: ServerAPI(baseURL: serverURL, http: http,
                                   bearer: environment["INTEROP_API_KEY"] ?? environment["INNGEST_SIGNING_KEY"]),
                    serveURL: "http://127.0.0.1:\(server.port)/api/inngest",
                    key: String(UInt64(Date().timeIntervalSince1970 * 1000)))
checks.expectKeyFallback = environment["INTEROP_EXPECT_KEY_FALLBACK"] == "1"
let only = environment["INTEROP_ONLY"].map { Set($0.split(separator: ";").map(String.init)) }
let selected = Scenarios.all.filter { only?.contains($0.name) ?? true }

func report(_ name: String, _ result: Result<String, any Error>) -> Bool {
    switch result {
    case .success(let detail): print("PASS sdk-app: \(name): \(detail)"); return true
    case .failure(let error): print("FAIL sdk-app: \(name): \(error)"); return false
    }
}

var failed = 0
do {
    let result: Result<String, any Error>
    do { result = .success(try await Scenarios.sync.run(checks)) } catch { result = .failure(error) }
    if !report(Scenarios.sync.name, result) { failed += 1 }
}
await withTaskGroup(of: (String, Result<String, any Error>).self) { group in
    for scenario in selected {
        group.addTask {
            do { return (scenario.name, .success(try await scenario.run(checks))) } catch { return (scenario.name, .failure(error)) }
        }
    }
    for await (name, result) in group {
        if !report(name, result) { failed += 1 }
    }
}
print("sdk-app: \(selected.count + 1 - failed) passed, \(failed) failed")
exit(failed == 0 ? 0 : 1)
