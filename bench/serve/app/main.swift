// The Swift side of bench/serve: the worker's HTTP server and the SDK's serve
// handler, exposing the two benchmark functions (the same ones python_app.py
// defines). Dev mode (no signatures), like the Python side.
//
//   serve-bench-app <port>
import Foundation
import HTTP
import InngestProtocol
import JSON

let port = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 0 : 0
let kilobyte = String(repeating: "x", count: 1000)

let oneStep = InngestFunction(id: "one-step", triggers: [.event("bench/one")]) { ctx -> JSON in
    try await ctx.step.run("only") { ["ok": true] as JSON }
}

// Steps "step-0" … "step-<n-1>", each returning 1 KB; n comes from the event
// (default 50) so one function covers the 10/50/200 cost curve.
let manySteps = InngestFunction(id: "many-steps", triggers: [.event("bench/many")]) { ctx -> String in
    let n = ctx.event.data["steps"]?.intValue ?? 50
    for i in 0..<n {
        _ = try await ctx.step.run("step-\(i)") { kilobyte }
    }
    return "done"
}

// A step that holds its thread for `ms` milliseconds (default 3000), the way
// a file lock or a slow disk does; bench/http/blocking-step.sh measures
// /health while several of these run.
let blockingStep = InngestFunction(id: "blocking-step", triggers: [.event("bench/block")]) { ctx -> String in
    let ms = ctx.event.data["ms"]?.intValue ?? 3000
    return try await ctx.step.run("hold-thread") { () -> String in
        usleep(UInt32(max(0, min(ms, 60_000))) * 1000)
        return "held \(ms) ms"
    }
}

let inngest = Inngest(appId: "bench", functions: [oneStep, manySteps, blockingStep],
                      configuration: InngestConfiguration(mode: .dev), httpClient: SocketHTTPClient(),
                      logSink: DiscardingLogSink())
let handler = inngest.handler
var router = HTTPRouter()
for method in ["GET", "PUT", "POST"] { router.add(method, "/api/inngest", handler: handler) }
router.add("GET", "/health") { _ in HTTPResponse(status: 200, contentType: "application/json", text: "{\"status\":\"ok\"}") }
let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: port), handler: router)
try server.start()
FileHandle.standardOutput.write(Data("listening \(server.port)\n".utf8))
while true { sleep(3600) }
