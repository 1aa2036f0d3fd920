import Foundation
import HTTP
import InngestProtocol
import JSON

// The fixture app of the Inngest CLI's serve conformance runner
// (`inngest alpha conformance run`), written on this SDK: the functions the
// runner's serve cases drive, by the slugs it looks for, serving GET/PUT/POST
// /api/inngest and GET /health on 127.0.0.1 (port: first argument, default 3000).
// Run it through ../conformance.sh. Environment: the SDK's own (INNGEST_DEV or
// INNGEST_BASE_URL, INNGEST_SIGNING_KEY, INNGEST_EVENT_KEY); INNGEST_APP_ID
// names the app (default conformance-swift).

/// A plain error, reported with the name `Error` as the runner expects of an
/// ordinary thrown error.
struct Error: Swift.Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// Counts attempts across retries: the retry case fails the step once, then the
/// function body once, and expects success after each retry.
actor Attempts {
    static let shared = Attempts()
    private var counts: [String: Int] = [:]
    func next(_ key: String) -> Int { counts[key, default: 0] += 1; return counts[key]! }
}

func ok(_ ctx: FunctionContext) -> JSON { ["name": .string(ctx.event.name), "body": "ok"] }

let functions: [InngestFunction] = [
    InngestFunction(id: "test-suite-simple-fn", triggers: [.event("tests/function.test")]) { ctx in ok(ctx) },
    InngestFunction(id: "test-suite-step-test", triggers: [.event("tests/step.test")]) { ctx in
        let first = try await ctx.step.run("first step") { "first step" }
        try await ctx.step.sleep("sleep", for: .seconds(2))
        _ = try await ctx.step.run("second step") { ["first": .string(first), "second": true] as JSON }
        return ok(ctx)
    },
    InngestFunction(id: "test-suite-retry-test", triggers: [.event("tests/retry.test")]) { ctx in
        _ = try await ctx.step.run("first step") { () async throws -> String in
            if await Attempts.shared.next("step") == 1 { throw Error("broken") }
            return "yes: 2"
        }
        if await Attempts.shared.next("function") == 1 { throw Error("broken func") }
        return ok(ctx)
    },
    InngestFunction(id: "test-suite-cancel-test", triggers: [.event("tests/cancel.test")],
                    config: .init(cancelOn: [.init(event: "cancel/please",
                                                   if: "async.data.request_id == event.data.request_id")])) { ctx in
        try await ctx.step.sleep("sleep", for: .seconds(10))
        _ = try await ctx.step.run("After the sleep") { "This should be cancelled if a matching cancel event is received" }
        return ok(ctx)
    },
    InngestFunction(id: "test-suite-wait-for-event", triggers: [.event("tests/wait.test")]) { ctx in
        guard let resumed = try await ctx.step.waitForEvent(
            "wait", event: "test/resume", timeout: .seconds(10),
            if: "async.data.resume == true && async.data.id == event.data.id") else { return [:] as JSON }
        return ["result": resumed.data] as JSON
    },
]

let environment = ProcessInfo.processInfo.environment
let inngest = Inngest(appId: environment["INNGEST_APP_ID"] ?? "conformance-swift", functions: functions,
                      configuration: try InngestConfiguration(environment: environment), httpClient: SocketHTTPClient())
var router = HTTPRouter()
for method in ["GET", "PUT", "POST"] { router.add(method, "/api/inngest", handler: inngest.handler) }
router.add("GET", "/health") { _ in HTTPResponse(status: 200, contentType: "text/plain", text: "ok") }
let port = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 3000
let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: port), handler: router)
try server.start()
FileHandle.standardError.write(Data("conformance fixture on http://127.0.0.1:\(server.port)/api/inngest\n".utf8))
while true { try await Task.sleep(nanoseconds: 3_600_000_000_000) }
