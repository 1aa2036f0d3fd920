@testable import Console
import Foundation
import HTTP
import InngestProtocol
import JSON
import Testing
import TestSupport

/// The console against a real signed engine and worker.
@Suite("Console handler", .serialized)
struct ConsoleHandlerTests {
    static let steps = InngestFunction(id: "steps", triggers: [.event("console/steps")], config: FunctionConfiguration(retries: 0)) { ctx -> JSON in
        let greeting: String = try await ctx.step.run("greet") { "hello " + (ctx.event.data["who"]?.stringValue ?? "?") }
        if ctx.event.data["fail"] == true { throw NonRetriableError("asked to fail") }
        return ["greeting": .string(greeting)]
    }
    static let sleeper = InngestFunction(id: "sleeper", triggers: [.event("console/sleep")]) { ctx -> String in
        try await ctx.step.sleep("nap", for: .minutes(30))
        return "woke"
    }

    @Test func signInIsRequiredAndTheCookieIsStrict() async throws {
        let h = try await ConsoleHarness(functions: [Self.steps])
        let (redirect, _, headers) = await h.request("GET", "/console/runs")
        #expect(redirect == 303 && headers["Location"] == "/console/login")
        let (fragment, _, _) = await h.request("GET", "/console/runs?fragment=rows")
        #expect(fragment == 401)
        let (refused, page, _) = await h.request("POST", "/console/login", form: [("key", "signkey-test-wrong")])
        #expect(refused == 401 && page.contains("not valid"))
        let (ok, _, signed) = await h.request("POST", "/console/login", form: [("key", ConsoleHarness.key)])
        #expect(ok == 303)
        let cookie = signed["Set-Cookie"] ?? ""
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/console"))
        #expect(!cookie.contains(ConsoleHarness.key))
        h.cookie = "v1.99999999999999.deadbeef"
        let (forged, _, _) = await h.request("GET", "/console/runs")
        #expect(forged == 303)
        // A token as `joelclaw console-token` prints it works as a login too.
        h.cookie = nil
        let token = try #require(ConsoleAuth(signingKeys: [ConsoleHarness.key]).token(expiresAt: Int64(Date().timeIntervalSince1970 * 1000) + 60_000))
        let (viaToken, _, _) = await h.request("POST", "/console/login", form: [("key", token)])
        #expect(viaToken == 303)
        let (asset, css, assetHeaders) = await h.request("GET", "/console/assets/console.css")
        #expect(asset == 200 && css.contains("body") && assetHeaders["Content-Security-Policy"]?.contains("script-src 'self'") == true)
        await h.stop()
    }

    @Test func sendingAnEventShowsItsRunStepsAndOutput() async throws {
        let h = try await ConsoleHarness(functions: [Self.steps])
        try await h.signIn()
        let (noCSRF, _, _) = await h.request("POST", "/console/send", form: [("name", "console/steps"), ("data", "{}")])
        #expect(noCSRF == 403)
        let (badJSON, page, _) = await h.request("POST", "/console/send", form: [("csrf", h.csrf), ("name", "console/steps"), ("data", "{nope")])
        #expect(badJSON == 400 && page.contains("not valid JSON") && page.contains("{nope"))
        let (sent, _, headers) = await h.request("POST", "/console/send", form: [("csrf", h.csrf), ("name", "console/steps"),
                                                                              ("data", #"{"who":"<script>alert(1)</script>"}"#)])
        #expect(sent == 303 && headers["Location"]?.hasPrefix("/console/runs") == true)
        var runID = ""
        try await waitUntil("the run completes") {
            let (_, rows, _) = await h.request("GET", "/console/runs?fragment=rows&since=1h")
            guard rows.contains("Completed"), let r = rows.range(of: "data-run=\"") else { return false }
            runID = String(rows[r.upperBound...].prefix { $0 != "\"" })
            return true
        }
        let (status, run, _) = await h.request("GET", "/console/runs/\(runID)")
        #expect(status == 200)
        #expect(run.contains("<b>greet</b>") && run.contains("hello &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!run.contains("<script>alert"))
        #expect(run.contains("id=\"rerun\""))
        let (_, functions, _) = await h.request("GET", "/console/functions")
        #expect(functions.contains("console-test-steps") && functions.contains("<td>1</td>"))
        let (_, events, _) = await h.request("GET", "/console/events")
        #expect(events.contains("console/steps") && !events.contains("<script>alert"))
        await h.stop()
    }

    @Test func cancelAndRerunGoThroughTheAPIWithCSRF() async throws {
        let h = try await ConsoleHarness(functions: [Self.steps, Self.sleeper])
        try await h.signIn()
        let eventID = try await h.inngest.send(InngestEvent(name: "console/sleep"))[0]
        var runID = ""
        try await waitUntil("the run sleeps") {
            let (_, page, _) = await h.request("GET", "/console/events/\(eventID)")
            guard let r = page.range(of: "data-run=\"") else { return false }
            runID = String(page[r.upperBound...].prefix { $0 != "\"" })
            let (_, run, _) = await h.request("GET", "/console/runs/\(runID)")
            return run.contains("Sleeping")
        }
        let (forged, _, _) = await h.request("POST", "/console/runs/\(runID)/cancel", form: [("csrf", (h.csrf.hasPrefix("0") ? "1" : "0") + h.csrf.dropFirst())])
        #expect(forged == 403)
        let (cancelled, _, where1) = await h.request("POST", "/console/runs/\(runID)/cancel", form: [("csrf", h.csrf)])
        #expect(cancelled == 303 && where1["Location"] == "/console/runs/\(runID)?flash=cancelled")
        let (_, page, _) = await h.request("GET", "/console/runs/\(runID)")
        #expect(page.contains("id=\"run-status\">Cancelled"))
        let (rerun, _, where2) = await h.request("POST", "/console/runs/\(runID)/rerun", form: [("csrf", h.csrf)])
        #expect(rerun == 303)
        let location = where2["Location"] ?? ""
        #expect(location.hasPrefix("/console/runs/") && !location.contains(runID))
        let (again, _, _) = await h.request("POST", "/console/runs/\(runID)/cancel", form: [("csrf", h.csrf)])
        #expect(again == 409)
        await h.stop()
    }

    @Test(arguments: [
        ("GET", "/console/runs/..%2F..%2Fetc%2Fpasswd"), ("GET", "/console/events/%3Cscript%3E"), ("GET", "/console/nope"),
        ("GET", "/console/runs?status=%3Cb%3E&function=%22%3E%3Cscript%3E&since=forever&cursor=%00"),
        ("GET", "/console/assets/..%2Fsecret"), ("POST", "/console/runs/x/explode"), ("DELETE", "/console/runs"),
    ])
    func hostileRequestsGetPlainErrorsOrEscapedPages(_ method: String, _ target: String) async throws {
        let h = try await ConsoleHarness(functions: [Self.steps])
        try await h.signIn()
        let (status, page, headers) = await h.request(method, target, form: method == "POST" ? [("csrf", h.csrf)] : nil)
        #expect(status < 500 || status == 502, "\(status)")
        #expect(!page.contains("<script>") || page.contains("<script src=\"/console/assets/console.js\">"))
        #expect(!page.contains("\"><script"))
        #expect(headers["Content-Security-Policy"] != nil)
        await h.stop()
    }

    @Test func hostileBodiesAreRefused() async throws {
        let h = try await ConsoleHarness(functions: [Self.steps])
        try await h.signIn()
        let (huge, _, _) = await h.request("POST", "/console/send", rawBody: Array(repeating: UInt8(ascii: "a"), count: 300_000))
        #expect(huge == 413)
        let (broken, _, _) = await h.request("POST", "/console/send", rawBody: Array("csrf=%ZZ".utf8))
        #expect(broken == 400)
        let (nameless, page, _) = await h.request("POST", "/console/send", form: [("csrf", h.csrf), ("name", "  "), ("data", "{}")])
        #expect(nameless == 400 && page.contains("needs a name"))
        let (hugeLogin, _, _) = await h.request("POST", "/console/login", rawBody: Array(repeating: UInt8(ascii: "k"), count: 10_000))
        #expect(hugeLogin == 401)
        await h.stop()
    }
}
