import TestSupport
import Foundation

/// Hostile requests for the embedded engine's API, with the answer expected
/// from an open engine (dev: no signing key) and a locked one (cloud: a
/// signing key and an event key). `.valid` sends `Authorization: Bearer`
/// with the right key in cloud mode; `{key}` in a target is the event key.
enum EngineCatalogue {
    static let signingKey = "signkey-test-0123456789abcdef"
    static let eventKey = "test-event-key"

    static func register(_ function: String, url: String = "http://127.0.0.1:9/api/inngest") -> [UInt8] {
        Array(#"{"url":"\#(url)","appName":"catalogue","framework":"swift","sdk":"inngest-swift:v0.1.0","v":"0.1","functions":[\#(function)]}"#.utf8)
    }

    static func function(triggers: String = #"[{"event":"cat/e"}]"#, extra: String = "") -> String {
        #"{"id":"catalogue-fn","name":"fn","triggers":\#(triggers),"steps":{"step":{"id":"step","name":"step","runtime":{"type":"http","url":"http://127.0.0.1:9/api/inngest?fnId=catalogue-fn&stepId=step"}}}\#(extra)}"#
    }

    static func event(_ fields: String) -> [UInt8] { Array(#"{"name":"cat/e",\#(fields)}"#.utf8) }

    static func nested(_ depth: Int) -> [UInt8] {
        Array(#"{"name":"cat/e","data":{"x":"#.utf8) + Array(repeating: UInt8(ascii: "["), count: depth)
            + Array(repeating: UInt8(ascii: "]"), count: depth) + Array("}}".utf8)
    }

    static let events = "/e/{key}"

    static let cases: [HostileRequest] = [
        HostileRequest(name: "one well-formed event", target: events, body: event(#""data":{"n":1}"#), expected: .both(200)),
        HostileRequest(name: "well-formed registration", target: "/fn/register", body: register(function()), expected: .both(200)),
        HostileRequest(name: "health", method: "GET", target: "/health", signature: .none, expected: .both(200)),

        // Event keys and bearer tokens.
        HostileRequest(name: "unknown event key", target: "/e/not-the-key", body: event(#""data":{}"#), expected: .init(dev: 200, cloud: 401)),
        HostileRequest(name: "4 KB event key", target: "/e/" + String(repeating: "k", count: 4096), body: event(#""data":{}"#),
                       expected: .init(dev: 200, cloud: 401)),
        HostileRequest(name: "register without a token", target: "/fn/register", body: register(function()), signature: .none,
                       expected: .init(dev: 200, cloud: 401)),
        HostileRequest(name: "register with a forged token", target: "/fn/register", body: register(function()),
                       signature: .header("Bearer signkey-test-" + String(repeating: "00", count: 32)), expected: .init(dev: 200, cloud: 401)),
        HostileRequest(name: "register with a token that is not hex", target: "/fn/register", body: register(function()),
                       signature: .header("Bearer signkey-test-zz\u{7F}"), expected: .init(dev: 400, cloud: 400)),
        HostileRequest(name: "register with Basic auth", target: "/fn/register", body: register(function()),
                       signature: .header("Basic c2lnbmtleQ=="), expected: .init(dev: 200, cloud: 401)),
        HostileRequest(name: "forged token before a valid one", target: "/fn/register",
                       headers: [("Authorization", "Bearer 00")], body: register(function()), expected: .init(dev: 200, cloud: 401)),
        HostileRequest(name: "run query without a token", method: "GET", target: "/v1/runs/01J", signature: .none,
                       expected: .init(dev: 404, cloud: 401)),
        HostileRequest(name: "batch query without a token", method: "GET", target: "/v0/runs/01J/batch", signature: .none,
                       expected: .init(dev: 410, cloud: 401)),

        // Framing.
        HostileRequest(name: "two different Content-Lengths", target: events, body: event(#""data":{}"#),
                       contentLengths: ["31", "3"], expected: .both(400)),
        HostileRequest(name: "Content-Length and chunked together", target: events, headers: [("Transfer-Encoding", "chunked")],
                       body: event(#""data":{}"#), expected: .both(400)),
        HostileRequest(name: "Content-Length overflowing Int64", target: events, body: event(""), contentLengths: ["184467440737095516160"],
                       expected: .both(413)),
        HostileRequest(name: "body cut short, then EOF", target: events, body: event(#""data":{"long":"aaaaaaaaaaaaaaaaaaaa"}"#),
                       cutBody: 10, expected: .both(0)),
        HostileRequest(name: "64 KB path", method: "GET", target: "/v1/runs/" + String(repeating: "r", count: 65536),
                       expected: .both(431)),
        HostileRequest(name: "path with a NUL", method: "GET", target: "/v1/runs/%00", expected: .both(400)),

        // Event bodies.
        HostileRequest(name: "events body is not JSON", target: events, body: Array("name=x".utf8), expected: .both(400)),
        HostileRequest(name: "events body truncated mid-JSON", target: events, body: Array(#"[{"name":"cat/e","da"#.utf8),
                       expected: .both(400)),
        // Invalid UTF-8 inside a string becomes U+FFFD, as Go's encoding/json (the Inngest server) reads it.
        HostileRequest(name: "events body with non-UTF-8 bytes", target: events, body: Array(#"{"name":"cat/"#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8),
                       expected: .both(200)),
        HostileRequest(name: "event nested 100,000 deep", target: events, body: nested(100_000), expected: .both(400)),
        HostileRequest(name: "ts overflowing Int64", target: events, body: event(#""ts":99999999999999999999999"#), expected: .both(400)),
        HostileRequest(name: "ts at Int64.max", target: events, body: event(#""ts":9223372036854775807"#), expected: .both(400)),
        HostileRequest(name: "ts at Int64.min", target: events, body: event(#""ts":-9223372036854775808"#), expected: .both(400)),
        HostileRequest(name: "ts 1e400", target: events, body: event(#""ts":1e400"#), expected: .both(400)),
        HostileRequest(name: "name of 300 bytes", target: events, body: Array(#"{"name":"\#(String(repeating: "n", count: 300))"}"#.utf8),
                       expected: .both(400)),
        HostileRequest(name: "5,001 events", target: events,
                       body: Array(("[" + Array(repeating: #"{"name":"cat/e"}"#, count: 5001).joined(separator: ",") + "]").utf8),
                       expected: .both(400)),
        HostileRequest(name: "wrong content type", target: events, headers: [("Content-Type", "application/x-www-form-urlencoded")],
                       body: event(#""data":{}"#), expected: .both(200)),
        HostileRequest(name: "data is a string of bad base64", target: events, body: event(#""data":"=====""#), expected: .both(400)),

        // Registration bodies.
        HostileRequest(name: "register body is not JSON", target: "/fn/register", body: Array("{{".utf8), expected: .both(400)),
        HostileRequest(name: "register nested 100,000 deep", target: "/fn/register", body: nested(100_000), expected: .both(400)),
        // February 31st: valid syntax that never fires (the search for the next time gives up after five years).
        HostileRequest(name: "register with an impossible cron", target: "/fn/register",
                       body: register(function(triggers: #"[{"cron":"0 0 31 2 *"}]"#)), expected: .both(200)),
        HostileRequest(name: "register with a cron of huge numbers", target: "/fn/register",
                       body: register(function(triggers: #"[{"cron":"99999999999999999999 * * * *"}]"#)), expected: .both(400)),
        HostileRequest(name: "register with a cron step of zero", target: "/fn/register",
                       body: register(function(triggers: #"[{"cron":"*/0 * * * *"}]"#)), expected: .both(400)),
        HostileRequest(name: "register with an unparsable expression", target: "/fn/register",
                       body: register(function(triggers: #"[{"event":"cat/e","expression":"event.data.x == (((("}]"#)), expected: .both(400)),
        HostileRequest(name: "register with an expression nested 10,000 deep", target: "/fn/register",
                       body: register(function(triggers: #"[{"event":"cat/e","expression":"\#(String(repeating: "(", count: 10_000))1\#(String(repeating: ")", count: 10_000))"}]"#)),
                       expected: .both(400)),
        // Signals (`POST /v1/signals`).
        HostileRequest(name: "signal without a token", target: "/v1/signals", body: Array(#"{"signal":"s"}"#.utf8), signature: .none,
                       expected: .init(dev: 404, cloud: 401)),
        HostileRequest(name: "signal nobody waits for", target: "/v1/signals", body: Array(#"{"signal":"s","data":{"x":1}}"#.utf8),
                       expected: .both(404)),
        HostileRequest(name: "signal body is not JSON", target: "/v1/signals", body: Array("signal=s".utf8), expected: .both(400)),
        HostileRequest(name: "signal body is an array", target: "/v1/signals", body: Array(#"[{"signal":"s"}]"#.utf8), expected: .both(400)),
        HostileRequest(name: "signal name is a number", target: "/v1/signals", body: Array(#"{"signal":7}"#.utf8), expected: .both(400)),
        HostileRequest(name: "signal name is empty", target: "/v1/signals", body: Array(#"{"signal":""}"#.utf8), expected: .both(400)),
        HostileRequest(name: "signal data nested 100,000 deep", target: "/v1/signals",
                       body: Array(#"{"signal":"s","data":"#.utf8) + Array(repeating: UInt8(ascii: "["), count: 100_000)
                           + Array(repeating: UInt8(ascii: "]"), count: 100_000) + Array("}".utf8), expected: .both(400)),
        HostileRequest(name: "signal of 600 KB", target: "/v1/signals",
                       body: Array(#"{"signal":"s","data":"\#(String(repeating: "d", count: 600_000))"}"#.utf8), expected: .both(413)),
        // Async checkpoints (`POST /v1/checkpoint/{run}/async`).
        HostileRequest(name: "checkpoint without a token", target: "/v1/checkpoint/01J/async",
                       body: Array(#"{"fn_id":"f","qi_id":"1","steps":[]}"#.utf8), signature: .none, expected: .init(dev: 404, cloud: 401)),
        HostileRequest(name: "checkpoint body is not JSON", target: "/v1/checkpoint/01J/async", body: Array("{".utf8), expected: .both(400)),
        HostileRequest(name: "checkpoint without steps", target: "/v1/checkpoint/01J/async",
                       body: Array(#"{"fn_id":"f","qi_id":"1"}"#.utf8), expected: .both(400)),
        HostileRequest(name: "checkpoint with run_id not the path's", target: "/v1/checkpoint/01J/async",
                       body: Array(#"{"run_id":"01K","fn_id":"f","qi_id":"1","steps":[]}"#.utf8), expected: .both(400)),
        HostileRequest(name: "checkpoint for an unknown run", target: "/v1/checkpoint/01J/async",
                       body: Array(#"{"fn_id":"f","qi_id":"99999999999999999999","steps":[{"op":"Sleep"}]}"#.utf8), expected: .both(404)),
        HostileRequest(name: "checkpoint of 7 MB", target: "/v1/checkpoint/01J/async",
                       body: Array(#"{"fn_id":"f","qi_id":"1","steps":[{"op":"StepRun","data":"\#(String(repeating: "d", count: 7_000_000))"}]}"#.utf8),
                       expected: .both(413)),
        HostileRequest(name: "register with retries overflowing Int64", target: "/fn/register",
                       body: register(function(extra: #","retries":{"attempts":99999999999999999999}"#)), expected: .both(400)),
        HostileRequest(name: "register with a non-http step URL", target: "/fn/register",
                       body: register(#"{"id":"f","name":"f","triggers":[{"event":"e"}],"steps":{"step":{"runtime":{"type":"http","url":"file:///etc/passwd"}}}}"#),
                       expected: .both(400)),
    ]
}
