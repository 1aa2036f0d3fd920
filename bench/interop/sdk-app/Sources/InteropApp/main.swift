import Foundation
import InngestProtocol
import InteropScenarios

// Serves the interop functions on 127.0.0.1 (port: first argument, default a free
// one) at /api/inngest, syncs them with the server, runs every scenario and prints
// PASS/FAIL per scenario; exits 1 if any failed. The functions and scenarios live in
// Tests/InteropScenarios, where the test suite also runs them on the embedded engine.
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
let app = try InteropApp(configuration: try InngestConfiguration(environment: environment), serverURL: serverURL,
                         apiBearer: environment["INTEROP_API_KEY"] ?? environment["INNGEST_SIGNING_KEY"],
                         port: CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 0,
                         expectKeyFallback: environment["INTEROP_EXPECT_KEY_FALLBACK"] == "1")
let only = environment["INTEROP_ONLY"].map { Set($0.split(separator: ";").map(String.init)) }
let selected = InteropApp.scenarioNames.filter { only?.contains($0) ?? true }

func report(_ outcome: InteropApp.Outcome) -> Bool {
    print("\(outcome.passed ? "PASS" : "FAIL") sdk-app: \(outcome.name): \(outcome.detail)")
    return outcome.passed
}

var failed = report(await app.run(InteropApp.syncScenarioName)) ? 0 : 1
await withTaskGroup(of: InteropApp.Outcome.self) { group in
    for name in selected { group.addTask { await app.run(name) } }
    for await outcome in group where !report(outcome) { failed += 1 }
}
print("sdk-app: \(selected.count + 1 - failed) passed, \(failed) failed")
exit(failed == 0 ? 0 : 1)
