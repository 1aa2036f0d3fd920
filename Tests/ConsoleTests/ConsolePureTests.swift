@testable import Console
import JSON
import Ops
import Testing
import Foundation

@Suite("Console: escaping, tokens, forms")
struct ConsolePureTests {
    @Test func escapingKeepsScriptsAndQuotesAsText() {
        let hostile = #"<script>alert("x")</script>' onmouseover='alert(1)' " autofocus onfocus="alert(2)` & é"#
        let escaped = HTML.escape(hostile)
        #expect(!escaped.contains("<") && !escaped.contains(">") && !escaped.contains("\"") && !escaped.contains("'") && !escaped.contains("`"))
        #expect(escaped.hasPrefix("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover=&#39;"))
        #expect(escaped.hasSuffix("&#96; &amp; é"))
        #expect(HTML.escape("a\0b") == "a\u{FFFD}b")
        #expect(HTML.queryValue("a b&c=d/é") == "a%20b%26c%3Dd%2F%C3%A9")
    }

    @Test func everyPageRendersHostileDataAsText() {
        let evil = #"<script>alert(1)</script>"quote'"#
        let run: JSON = ["id": .string(evil), "status": .string(evil), "function_id": .string(evil), "event_name": .string(evil),
                         "started_at": .string(evil), "output": .string(evil)]
        let trace: JSON = ["status": "Failed", "error": ["name": .string(evil), "message": .string(evil)],
                           "children": [["name": .string(evil), "step_op": .string(evil), "status": "Completed", "output": ["k": .string(evil)],
                                         "step_info": ["event_name": .string(evil)]]]]
        let event: JSON = ["name": .string(evil), "data": ["html": .string(evil)], "internal_id": .string(evil)]
        let function: JSON = ["id": .string(evil), "name": .string(evil), "triggers": [["event": .string(evil), "expression": .string(evil)]],
                              "concurrency": [["limit": 1, "key": .string(evil)]]]
        let status = ServiceStatus(machine: "m", service: evil, kind: .tcp, state: .down, latency: 0.01, detail: evil)
        let inventory = try! Inventory(json: #"{"schemaVersion": 1, "machines": [{"name": "m", "address": "127.0.0.1", "services": [{"name": "db", "kind": "tcp", "ports": [1]}]}]}"#)
        let report = StatusReport(inventory: inventory, statuses: [status], checkedAt: Date(), duration: 0.1)
        var history = HealthHistory()
        history.record([status], at: 0)
        let pages = [
            RunsPage(prefix: "/c", now: 0).body(runs: [run], next: evil, filter: .init(), functionIDs: [evil], error: evil),
            RunPage(prefix: "/c", now: 0).body(runID: evil, run: run, trace: trace, event: event, csrf: evil),
            FunctionsPage(prefix: "/c").body(functions: [function], stats: [:], csrf: evil, sendError: evil, draft: (evil, evil)),
            EventsPage(prefix: "/c").body(events: [event], next: evil, name: evil, firstPage: true, error: evil),
            EventsPage(prefix: "/c").detail(eventID: evil, event: event, runs: [run], now: 0),
            ServicesPage(prefix: "/c").body(report: report, problem: evil, history: history,
                                            metrics: "joelclaw_function_results_total{function=\"\(evil)\",outcome=\"ok\"} 3\n"),
            LoopsPage().body(loops: [ConsoleLoop(id: evil, project: evil, title: evil, status: evil, reason: evil, createdAt: 0,
                                                 stories: [.init(id: evil, title: evil, status: evil, attempts: 1, tool: evil, lastResult: evil)])],
                             problem: evil),
            ConsoleLayout(prefix: "/c", signedIn: true).page(title: evil, section: "runs", body: "", flash: evil, csrf: evil),
        ]
        for page in pages {
            #expect(!page.contains("<script>alert"), "\(page.prefix(200))")
            #expect(!page.contains("\"quote'"))
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;quote&#39;") || page.contains("%3Cscript%3E"))
        }
    }

    @Test func tokensAreDerivedFromTheKeyExpireAndAreComparedExactly() {
        let auth = ConsoleAuth(signingKeys: ["signkey-test-abcd", "signkey-test-old"])
        let token = try! #require(auth.token(expiresAt: 2_000))
        #expect(auth.accepts(token: token, now: 1_000))
        #expect(!auth.accepts(token: token, now: 2_000))
        #expect(!auth.accepts(token: nil, now: 0))
        #expect(!auth.accepts(token: "v1.9999999999999.00", now: 0))
        var tampered = Array(token)
        tampered[tampered.count - 1] = tampered.last == "0" ? "1" : "0"
        #expect(!auth.accepts(token: String(tampered), now: 0))
        #expect(!auth.accepts(token: token.replacingOccurrences(of: "v1.2000", with: "v1.9000"), now: 0))
        #expect(!ConsoleAuth(signingKeys: ["signkey-test-other"]).accepts(token: token, now: 0))
        // Signing in with either key or a valid token gives a session; anything else does not.
        #expect(auth.signIn(with: " signkey-test-abcd\n", now: 0).map { auth.accepts(token: $0, now: 1) } == true)
        #expect(auth.signIn(with: "signkey-test-old", now: 0) != nil)
        #expect(auth.signIn(with: token, now: 0) == token)
        #expect(auth.signIn(with: "signkey-test-abc", now: 0) == nil)
        #expect(auth.signIn(with: "", now: 0) == nil)
        #expect(auth.signIn(with: String(repeating: "x", count: 10_000), now: 0) == nil)
        // CSRF tokens belong to one session.
        let csrf = auth.csrf(for: token)
        #expect(auth.acceptsCSRF(csrf, session: token))
        #expect(!auth.acceptsCSRF(csrf, session: auth.token(expiresAt: 3_000)))
        #expect(!auth.acceptsCSRF(nil, session: token) && !auth.acceptsCSRF("", session: token))
        // No key: open, and no tokens exist.
        let open = ConsoleAuth(signingKeys: [])
        #expect(open.isOpen && open.accepts(token: nil, now: 0) && open.token(expiresAt: 1) == nil && open.acceptsCSRF(nil, session: nil))
    }

    @Test(arguments: [
        ("a=1&b=x+y%20z", [("a", "1"), ("b", "x y z")]),
        ("&&a=&=v", [("a", ""), ("", "v")]),
        ("data=%7B%22k%22%3A1%7D", [("data", "{\"k\":1}")]),
    ])
    func formFieldsDecode(_ body: String, _ expected: [(String, String)]) {
        let fields = FormFields.decode(Array(body.utf8))
        #expect(fields?.map { $0.name + "=" + $0.value } == expected.map { $0.0 + "=" + $0.1 })
    }

    @Test(arguments: ["a=%", "a=%4", "a=%zz", "a=%FF", "a=%C3", String(repeating: "a=1&", count: 40)])
    func malformedFormsAreRefused(_ body: String) {
        #expect(FormFields.decode(Array(body.utf8)) == nil)
    }

    @Test func theTestEventFormAcceptsOnlyANameAndAJSONObject() {
        if case .success(let event) = TestEventForm.validate(name: "app/x", data: #"{"k":[1,2]}"#) {
            #expect(event.name == "app/x" && event.data["k"]?[1] == 2)
        } else { Issue.record("valid event refused") }
        if case .success(let event) = TestEventForm.validate(name: "app/x", data: "  ") { #expect(event.data == [:]) }
        for (name, data, fragment) in [("", "{}", "needs a name"), ("a\nb", "{}", "control"), (String(repeating: "n", count: 257), "{}", "256"),
                                       ("x", "{", "not valid JSON"), ("x", "[1]", "JSON object"), ("x", "\"s\"", "JSON object")] {
            guard case .failure(let problem) = TestEventForm.validate(name: name, data: data) else {
                Issue.record("accepted \(name) \(data)"); continue
            }
            #expect(problem.message.contains(fragment))
        }
    }

    @Test func healthHistoryRecordsDownAndRecovery() {
        var history = HealthHistory(capacity: 3)
        func s(_ state: HealthState) -> ServiceStatus { ServiceStatus(machine: "m", service: "redis", kind: .tcp, state: state, latency: 0, detail: "") }
        #expect(history.record([s(.up)], at: 1).count == 1)
        #expect(history.record([s(.up)], at: 2).isEmpty)
        #expect(history.record([s(.down)], at: 3).first?.to == .down)
        let back = history.record([s(.up)], at: 4)
        #expect(back.first?.isRecovery == true && back.first?.from == .down)
        history.record([s(.degraded)], at: 5)
        #expect(history.transitions.count == 3 && history.transitions.first?.at == 3)
    }

    @Test func metricsTextBecomesBars() {
        let text = "# HELP x\njoelclaw_function_results_total{function=\"a\",outcome=\"ok\"} 4\njoelclaw_function_results_total{function=\"b\",outcome=\"error\"} 2\ngarbage line\n"
        let samples = MetricsChart.parse(text)
        #expect(samples.count == 2 && samples[0].labels.first?.1 == "a" && samples[1].value == 2)
        let html = MetricsChart.render(text)
        #expect(html.contains("<rect class=\"bar\" width=\"101\"") && html.contains("a ok"))
    }
}
