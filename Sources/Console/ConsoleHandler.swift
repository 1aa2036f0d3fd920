import HTTP
import InngestProtocol
import JSON

/// The web console, mounted under a path prefix of the worker's HTTP server.
///
/// Routing, sign-in and the response headers live here; reading data and
/// rendering are in `ConsoleHandler+Pages.swift`, the POST actions in
/// `ConsoleHandler+Actions.swift`, the markup in the `*Page` renderers.
/// Pages are plain HTML and work without JavaScript; every response forbids
/// inline script and framing (Content-Security-Policy), so even a value that
/// escaped escaping could not run. docs/console.md describes the pages.
public struct ConsoleHandler: HTTPHandler {
    public static let cookieName = "joelclaw_console"

    let prefix: String
    let auth: ConsoleAuth
    let sources: ConsoleSources
    let watch = ServiceWatch()
    /// Largest POST body read (the test-event form carries JSON).
    let maxFormBytes = 256 * 1024

    /// `prefix` is where the console lives, e.g. `/console` (no trailing slash).
    public init(prefix: String, auth: ConsoleAuth, sources: ConsoleSources) {
        var p = prefix.hasPrefix("/") ? prefix : "/" + prefix
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        self.prefix = p
        self.auth = auth
        self.sources = sources
    }

    /// True for the paths this handler answers.
    public func serves(_ path: String) -> Bool { path == prefix || path.hasPrefix(prefix + "/") }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        guard serves(request.path) else { return page(404, "<h1>Not found</h1>") }
        let rest = String(request.path.dropFirst(prefix.count))
        let parts = rest.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let method = request.method == "HEAD" ? "GET" : request.method

        switch (method, parts.first ?? "") {
        case ("GET", "assets"):
            return asset(parts.count == 2 ? parts[1] : "")
        case ("GET", "login"):
            return auth.isOpen ? redirect("/runs") : html(200, layout(nil).loginPage(error: nil))
        case ("POST", "login"):
            return signIn(request)
        default:
            break
        }
        let session = cookie(request)
        guard auth.accepts(token: session, now: sources.now()) else {
            if method == "GET" && request.queryValue("fragment") == nil { return redirect("/login") }
            return page(401, "<h1>Sign in again</h1>", session: nil)
        }
        let csrf = auth.csrf(for: session)
        let context = PageContext(request: request, session: session, csrf: csrf)

        switch (method, parts.count, parts.first ?? "") {
        case ("GET", 0, _): return redirect("/runs")
        case ("GET", 1, "runs"): return await runsPage(context)
        case ("GET", 2, "runs"): return await runPage(context, runID: parts[1])
        case ("GET", 1, "functions"): return await functionsPage(context, sendError: nil, draft: nil)
        case ("GET", 1, "events"): return await eventsPage(context)
        case ("GET", 2, "events"): return await eventPage(context, eventID: parts[1])
        case ("GET", 1, "services"): return await servicesPage(context)
        case ("GET", 1, "loops"): return loopsPage(context)
        case ("POST", _, _): return await action(context, parts)
        default: return page(404, "<h1>Not found</h1><p>No console page here.</p>", session: session)
        }
    }

    /// What every page handler needs from its request.
    struct PageContext {
        let request: HTTPRequest
        let session: String?
        let csrf: String
        var fragment: String? { request.queryValue("fragment") }
    }

    // MARK: Sign-in

    private func signIn(_ request: HTTPRequest) -> HTTPResponse {
        guard !auth.isOpen else { return redirect("/runs") }
        guard request.body.count <= 4096, let fields = FormFields.decode(request.body),
              let input = fields.first(where: { $0.name == "key" })?.value,
              let token = auth.signIn(with: input, now: sources.now()) else {
            return html(401, layout(nil).loginPage(error: "That key or token is not valid."))
        }
        var response = redirect("/runs")
        response.headers.add("Set-Cookie", "\(Self.cookieName)=\(token); Path=\(prefix); HttpOnly; SameSite=Strict; Max-Age=\(ConsoleAuth.sessionMilliseconds / 1000)")
        return response
    }

    func cookie(_ request: HTTPRequest) -> String? {
        for header in request.headers.values(for: "Cookie") {
            for pair in header.split(separator: ";") {
                let trimmed = pair.drop { $0 == " " }
                if trimmed.hasPrefix(Self.cookieName + "=") { return String(trimmed.dropFirst(Self.cookieName.count + 1)) }
            }
        }
        return nil
    }

    // MARK: Responses

    func layout(_ session: String?) -> ConsoleLayout { ConsoleLayout(prefix: prefix, signedIn: session != nil && !auth.isOpen) }

    func page(_ status: Int, _ body: String, title: String = "Console", section: String = "", session: String? = nil,
              csrf: String = "", flash: String? = nil) -> HTTPResponse {
        html(status, layout(session).page(title: title, section: section, body: body, flash: flash, csrf: csrf))
    }

    func html(_ status: Int, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: Self.securityHeaders(contentType: "text/html; charset=utf-8"), body: Array(text.utf8))
    }

    func redirect(_ path: String) -> HTTPResponse {
        var headers = Self.securityHeaders(contentType: "text/plain; charset=utf-8")
        headers.set("Location", prefix + path)
        return HTTPResponse(status: 303, headers: headers, body: [])
    }

    static func securityHeaders(contentType: String) -> HTTPHeaders {
        [
            "Content-Type": contentType,
            "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "X-Frame-Options": "DENY",
            "Cache-Control": "no-store",
        ]
    }

    private func asset(_ name: String) -> HTTPResponse {
        let (type, text): (String, String)
        switch name {
        case "console.css": (type, text) = ("text/css; charset=utf-8", ConsoleAssets.css)
        case "console.js": (type, text) = ("text/javascript; charset=utf-8", ConsoleAssets.js)
        default: return HTTPResponse(status: 404, headers: Self.securityHeaders(contentType: "text/plain"), body: Array("not found".utf8))
        }
        var headers = Self.securityHeaders(contentType: type)
        headers.set("Cache-Control", "max-age=300")
        return HTTPResponse(status: 200, headers: headers, body: Array(text.utf8))
    }
}
