import HTTP
import InngestProtocol
import JSON

// `serve-handler`: InngestServeHandler as a whole — method, query, headers
// and body all come from the input, in dev and in cloud mode. In cloud mode
// one bit asks for the body to be signed correctly, so the fuzzer also
// reaches the call path behind the signature check.
//
// Input: flags byte, query, NUL, header lines ("name: value\n"), NUL, body.
// Invariants: in cloud mode an unsigned or badly signed POST is 401 and never
// runs a step; every answer is a valid HTTP status.

private let now: Int64 = 1_767_225_600
private let key = try! SigningKey(parsing: "signkey-test-0123456789abcdef")

private let steps = InngestFunction(id: "steps", triggers: [.event("fuzz/event")]) { ctx -> JSON in
    let first: String = try await ctx.step.run("first") { "one" }
    try await ctx.step.sleep("nap", for: "2s")
    let second: JSON = try await ctx.step.run("second") { ["n": 2] as JSON }
    return ["first": .string(first), "second": second, "data": ctx.event.data]
}
private let plain = InngestFunction(id: "plain", triggers: [.event("fuzz/plain"), .cron("*/5 * * * *")]) { ctx -> JSON in
    ctx.event.data
}

private func app(_ mode: InngestMode) -> Inngest {
    Inngest(appId: "fuzz", functions: [steps, plain],
            configuration: InngestConfiguration(mode: mode, signingKey: mode == .cloud ? key : nil,
                                                eventKey: "fuzz-event-key", apiBaseURL: "http://127.0.0.1:9"),
            httpClient: RefusingHTTPClient(), logSink: DiscardingLogSink(), clock: { now })
}
private let dev = app(.dev)
private let cloud = app(.cloud)
private let methods = ["GET", "PUT", "POST", "POST", "POST", "DELETE", "OPTIONS", "post"]

func fuzzServeHandler(_ bytes: [UInt8]) {
    var input = FuzzInput(bytes)
    let flags = input.byte()
    let isCloud = flags & 1 == 1
    let method = methods[Int(flags >> 1) & 7]
    let signBody = flags & 0x10 != 0
    let query = String(decoding: input.field(), as: UTF8.self)
    var headers = HTTPHeaders()
    for line in input.field().split(separator: 0x0A) {
        let text = String(decoding: line, as: UTF8.self)
        let parts = text.split(separator: ":", maxSplits: 1)
        headers.add(String(parts.first ?? ""), parts.count > 1 ? String(parts[1]) : "")
    }
    let body = input.rest()
    if isCloud && signBody {
        headers.set("X-Inngest-Signature", RequestSignature.sign(body: body, key: key, timestamp: now))
    }
    let request = HTTPRequest(method: method, target: "/api/inngest" + (query.isEmpty ? "" : "?" + query),
                              query: queryPairs(query), headers: headers, body: body)
    let inngest = isCloud ? cloud : dev
    let response = runBlocking { await inngest.handler.handle(request) }
    guard (100...599).contains(response.status) else { fatalError("status \(response.status)") }
    if isCloud && method == "POST" && !signBody && headers["X-Inngest-Signature"] == nil && response.status != 401 {
        fatalError("unsigned POST in cloud mode answered \(response.status)")
    }
}
