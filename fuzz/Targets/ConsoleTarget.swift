import Console
import HTTP
import InngestProtocol

// `console`: the web console's input handling.
//
// Input: text, NUL, form body, NUL, method, NUL, path, NUL, cookie. Escaped
// text must hold no character that can open a tag or end an attribute; a
// decoded form must re-encode to the same fields; no made-up token or key may
// sign in; and the handler must answer any request (signed out: no data is
// read, so nothing here touches the network) with a sign-in redirect, a
// sign-in page, an asset or a 4xx.

private let key = "signkey-test-00112233445566778899aabbccddeeff"
private let auth = ConsoleAuth(signingKeys: [key])
private let realToken = auth.token(expiresAt: 4_000_000_000_000)!
private let console: ConsoleHandler = {
    let configuration = try! InngestConfiguration(mode: .cloud, signingKey: try! SigningKey(parsing: key), eventKey: "k",
                                                  apiBaseURL: "http://127.0.0.1:9", eventAPIBaseURL: "http://127.0.0.1:9")
    let sources = ConsoleSources(api: InngestAPIClient(configuration: configuration, httpClient: SocketHTTPClient()),
                                 functions: { [] }, send: { _ in [] }, now: { 1_767_225_600_000 })
    return ConsoleHandler(prefix: "/console", auth: auth, sources: sources)
}()

func fuzzConsole(_ bytes: [UInt8]) {
    var input = FuzzInput(bytes)
    let text = String(decoding: input.field(), as: UTF8.self)
    let escaped = HTML.escape(text)
    if escaped.contains(where: { "<>\"'`".contains($0) }) { fatalError("escape left markup in \(escaped.debugDescription)") }

    let form = input.field()
    if let fields = FormFields.decode(form, maxFields: 64) {
        let again = fields.map { HTML.queryValue($0.name) + "=" + HTML.queryValue($0.value) }.joined(separator: "&")
        let round = FormFields.decode(Array(again.utf8), maxFields: 64)
        guard let round, round.map({ $0.name + "\u{0}" + $0.value }) == fields.map({ $0.name + "\u{0}" + $0.value }) else {
            fatalError("form fields did not survive re-encoding: \(fields)")
        }
    }
    if text != realToken && auth.accepts(token: text, now: 1_767_225_600_000) { fatalError("accepted a made-up token \(text)") }
    if text.trimmingCharacters(in: .whitespacesAndNewlines) != key, text != realToken,
       auth.signIn(with: text, now: 1_767_225_600_000) != nil {
        fatalError("signed in with \(text.debugDescription)")
    }

    let method = String(decoding: input.field(), as: UTF8.self)
    let path = "/console" + String(decoding: input.field(), as: UTF8.self)
    let cookie = String(decoding: input.rest(), as: UTF8.self)
    var headers = HTTPHeaders()
    headers.add("Cookie", "joelclaw_console=" + cookie)
    let request = HTTPRequest(method: method, target: path, path: path, headers: headers, body: form)
    let status = runBlocking { await console.handle(request).status }
    guard [200, 303, 401, 404].contains(status) else { fatalError("signed-out \(method) \(path) answered \(status)") }
}
