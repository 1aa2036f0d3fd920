import Engine
import Foundation
import HTTP
import JSON

// `engine-api`: the embedded engine's HTTP API as a whole (events, /fn/register,
// queries), on a real engine with a SQLite file in a temporary folder, a
// manual clock, and dispatching off (so nothing calls out).
//
// Input: flags byte (method, route, auth, route high bit), path suffix, NUL, body.

private let engine: EmbeddedEngine = {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("engine-fuzz-\(getpid())").path
    try? FileManager.default.removeItem(atPath: folder)
    try! FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    var configuration = EmbeddedEngineConfiguration(databasePath: folder + "/engine.sqlite")
    configuration.port = 0
    configuration.synchronous = .off
    configuration.clock = ManualClock()
    configuration.signingKey = authKey
    configuration.retentionDays = 0
    let engine = EmbeddedEngine(configuration: configuration, client: RefusingHTTPClient())
    try! engine.start(dispatching: false)
    return engine
}()
private let authKey = "signkey-test-0123456789abcdef"
private let routes = ["/e/key", "/fn/register", "/v1/events/", "/v1/runs/", "/v0/runs/", "/health", "/e/", "/", "/v1/signals", "/v1/checkpoint/"]
private let methods = ["POST", "POST", "GET", "DELETE", "PUT", "POST", "GET", "HEAD"]

func fuzzEngineAPI(_ bytes: [UInt8]) {
    var input = FuzzInput(bytes)
    let flags = input.byte()
    let method = methods[Int(flags) & 7]
    let route = routes[((Int(flags >> 3) & 7) | (flags & 0x80 != 0 ? 8 : 0)) % routes.count]
    let suffix = String(decoding: input.field(), as: UTF8.self)
    let body = input.rest()
    var headers: HTTPHeaders = ["Content-Type": "application/json"]
    if flags & 0x40 != 0 { headers.set("Authorization", "Bearer " + authKey) }
    let target = route + suffix
    let query = target.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
    let request = HTTPRequest(method: method, target: target, query: queryPairs(query), headers: headers, body: body)
    guard let api = engine.handler else { fatalError("engine has no API") }
    let response = runBlocking { await api.handle(request) }
    guard (100...599).contains(response.status) else { fatalError("status \(response.status)") }
    if (route == "/fn/register" || route.hasPrefix("/v")) && flags & 0x40 == 0 && response.status != 401 && response.status != 404 {
        fatalError("\(method) \(target) without a key answered \(response.status)")
    }
}
