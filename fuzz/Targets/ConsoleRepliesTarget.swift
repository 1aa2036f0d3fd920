import Console
import Foundation
import HTTP
import InngestProtocol
import JSON
import Support

// `console-replies`: the console's signed-in pages over whatever the Inngest
// server answers. The server is outside input too: a dev server takes events
// from anyone, and their data (names, ids, outputs, errors) comes back in
// these replies.
//
// A loopback HTTP server in this process stands in for the Inngest server and
// answers each REST path the console reads with a body from the input; the
// real socket client reads it, so the wire is real as well.
//
// Input: a page byte, a flags byte, then NUL-separated reply bodies for
// `/v1/runs`, `/v1/runs/{id}`, `/v1/runs/{id}/trace`, `/v1/events/{id}`,
// `/v1/events`, `/v1/apps/{app}/functions`, `/v1/events/{id}/runs`,
// `/v1/runs/counts`, then NUL-separated loop fields (id, project, title,
// status, reason, story id, story title, story result).
// Flags: bit 0 answers `/v1/runs` with 404 (the runs-of-recent-events path),
// bit 1 fails every `/v1/events/{id}/runs`, bit 2 answers the run 404.
//
// Checked: every page answers 200, 404 or 502, and no reply text reaches a
// page unescaped: the seeds carry `zz<zz"zz'zz` in every field, and no page
// may contain `<zz`, `zz"zz` or `zz'zz` (the page's own markup never puts a
// `<` before data, nor a quote between two runs of data; a value that merely
// starts with `zz` inside the page's own quotes is fine).

private struct Replies {
    var bodies: [String: [UInt8]] = [:]
    var flags: UInt8 = 0
}

private let replies = Locked(Replies())
private let key = "signkey-test-00112233445566778899aabbccddeeff"
private let repliesAuth = ConsoleAuth(signingKeys: [key])
private let session = repliesAuth.token(expiresAt: 4_000_000_000_000)!

/// The stand-in Inngest server, started once per fuzzing process.
private let standIn: HTTPServer = {
    let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, eventLoops: 1),
                            handler: ClosureHTTPHandler { request in
        let (bodies, flags) = replies.withLock { ($0.bodies, $0.flags) }
        let path = request.path
        func reply(_ name: String) -> HTTPResponse {
            HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: bodies[name] ?? [])
        }
        switch path {
        case "/v1/runs": return flags & 1 != 0 ? HTTPResponse(status: 404) : reply("runs")
        case "/v1/runs/counts": return reply("counts")
        case "/v1/events": return reply("events")
        default:
            if path.hasPrefix("/v1/runs/") && path.hasSuffix("/trace") { return reply("trace") }
            if path.hasPrefix("/v1/runs/") { return flags & 4 != 0 ? HTTPResponse(status: 404) : reply("run") }
            if path.hasPrefix("/v1/events/") && path.hasSuffix("/runs") {
                return flags & 2 != 0 ? HTTPResponse(status: 500, body: bodies["eventRuns"] ?? []) : reply("eventRuns")
            }
            if path.hasPrefix("/v1/events/") { return reply("event") }
            if path.hasPrefix("/v1/apps/") { return reply("functions") }
            return HTTPResponse(status: 404)
        }
    })
    try! server.start()
    return server
}()

private let loopFields = Locked<[String]>([])

private let repliesConsole: ConsoleHandler = {
    let base = "http://127.0.0.1:\(standIn.port)"
    let configuration = try! InngestConfiguration(mode: .cloud, signingKey: try! SigningKey(parsing: key), eventKey: "k",
                                                  apiBaseURL: base, eventAPIBaseURL: base)
    let sources = ConsoleSources(
        api: InngestAPIClient(configuration: configuration, httpClient: SocketHTTPClient()),
        functions: { [["id": "app-fn", "name": "A function", "triggers": [["event": "a/b"]]]] },
        send: { _ in [] },
        loops: {
            let f = loopFields.withLock { $0 } + Array(repeating: "", count: 8)
            return [ConsoleLoop(id: f[0], project: f[1], title: f[2], status: f[3], reason: f[4], createdAt: 1_767_225_000_000,
                                stories: [.init(id: f[5], title: f[6], status: f[3], attempts: 2, tool: f[4], lastResult: f[7])])]
        },
        now: { 1_767_225_600_000 }, appID: "app")
    return ConsoleHandler(prefix: "/console", auth: repliesAuth, sources: sources)
}()

private let pages = ["/console/runs", "/console/runs?fragment=rows", "/console/runs/01RUN", "/console/runs/01RUN?fragment=detail",
                     "/console/events", "/console/functions", "/console/loops"]
private let markers = ["<zz", "zz\"zz", "zz'zz"]

func fuzzConsoleReplies(_ bytes: [UInt8]) {
    var input = FuzzInput(bytes)
    let page = pages[Int(input.byte()) % pages.count]
    let flags = input.byte()
    var bodies: [String: [UInt8]] = [:]
    for name in ["runs", "run", "trace", "event", "events", "functions", "eventRuns", "counts"] { bodies[name] = input.field() }
    var fields: [String] = []
    for _ in 0..<8 { fields.append(String(decoding: input.field(), as: UTF8.self)) }
    replies.withLock { $0 = Replies(bodies: bodies, flags: flags) }
    loopFields.withLock { $0 = fields }

    // The only query the pages take here is `fragment=…`.
    let parts = page.split(separator: "?", maxSplits: 1).map(String.init)
    let query = parts.count == 2 ? [(name: "fragment", value: String(parts[1].dropFirst("fragment=".count)))] : []
    var headers = HTTPHeaders()
    headers.add("Cookie", "joelclaw_console=" + session)
    let request = HTTPRequest(method: "GET", target: page, path: parts[0], query: query, headers: headers)
    let response = runBlocking { await repliesConsole.handle(request) }
    guard [200, 404, 502].contains(response.status) else { fatalError("\(page) answered \(response.status)") }
    guard case .bytes(let body) = response.body else { fatalError("\(page) answered a stream") }
    let html = String(decoding: body, as: UTF8.self)
    for marker in markers where html.contains(marker) {
        fatalError("\(page) shows \(marker) unescaped: …\(html.components(separatedBy: marker)[0].suffix(120))\(marker)…")
    }
}
