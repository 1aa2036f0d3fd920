import TestSupport
import Foundation
import JSON

/// Hostile requests for the serve endpoint (`/api/inngest`), with the answer
/// expected from a dev-mode and a cloud-mode worker. In cloud mode a case
/// with `.valid` signature is signed correctly, so it tests what lies behind
/// verification; the signature cases test verification itself.
enum ServeCatalogue {
    static let now: Int64 = 1_767_225_600
    static let good = CallBody.make(event: ["name": "test/event", "data": ["n": 1], "id": "e1", "ts": 1767225600000, "user": [:]])

    static func body(ctx overrides: [String: JSON] = [:], replacing: [String: JSON] = [:]) -> [UInt8] {
        guard case .object(var body)? = try? JSON(parsing: good), case .object(var ctx)? = body["ctx"] else { return good }
        for (k, v) in overrides { ctx[k] = v }
        body["ctx"] = .object(ctx)
        for (k, v) in replacing { body[k] = v }
        return JSON.object(body).canonicalBytes()
    }

    /// The good body with one piece of its text replaced (for numbers no JSON value can hold).
    static func edited(_ old: String, _ new: String) -> [UInt8] {
        Array(String(decoding: good, as: UTF8.self).replacingOccurrences(of: old, with: new).utf8)
    }

    static func nested(_ depth: Int) -> [UInt8] {
        Array(#"{"ctx":{"run_id":"r"},"event":"#.utf8) + Array(repeating: UInt8(ascii: "["), count: depth)
            + Array(repeating: UInt8(ascii: "]"), count: depth) + Array("}".utf8)
    }

    static let cases: [HostileRequest] = [
        // The baseline: a well-formed call is served (200 with the function's output).
        HostileRequest(name: "well-formed call", body: good, expected: .both(200)),
        HostileRequest(name: "trust probe", target: "/api/inngest?probe=trust", body: good, expected: .both(200)),
        HostileRequest(name: "introspection GET", method: "GET", target: "/api/inngest", signature: .none, expected: .both(200)),

        // Signatures: overflowing, stale, future, forged, malformed, duplicated.
        HostileRequest(name: "timestamp Int64.min (the old SIGILL)", body: good,
                       signature: .header("t=-9223372036854775808&s=x"), expected: .init(dev: 200, cloud: 401)),
        HostileRequest(name: "timestamp Int64.max", body: good,
                       signature: .header("t=9223372036854775807&s=00"), expected: .init(dev: 200, cloud: 401)),
        HostileRequest(name: "timestamp beyond Int64", body: good,
                       signature: .header("t=99999999999999999999999&s=00"), expected: .init(dev: 200, cloud: 401)),
        HostileRequest(name: "timestamp not a number", body: good,
                       signature: .header("t=1e9&s=00"), expected: .init(dev: 200, cloud: 401)),
        HostileRequest(name: "stale signature (301 s old)", body: good, signature: .skewed(-301), expected: .init(dev: 200, cloud: 401)),
        HostileRequest(name: "future signature (301 s ahead)", body: good, signature: .skewed(301), expected: .init(dev: 200, cloud: 401)),
        HostileRequest(name: "signature at the edge of the window", body: good, signature: .skewed(-300), expected: .both(200)),
        HostileRequest(name: "forged MAC", body: good,
                       signature: .header("t=\(now)&s=" + String(repeating: "ab", count: 32)), expected: .init(dev: 200, cloud: 401)),
        HostileRequest(name: "signature without s", body: good, signature: .header("t=\(now)"), expected: .init(dev: 200, cloud: 401)),
        HostileRequest(name: "missing signature", body: good, signature: .none, expected: .init(dev: 200, cloud: 401)),
        HostileRequest(name: "empty signature header", body: good, signature: .header(""), expected: .init(dev: 200, cloud: 401)),
        HostileRequest(name: "signature of non-UTF-8 garbage", body: good,
                       signature: .header("t=\u{FFFD}\u{0}&s=\u{7F}"), expected: .init(dev: 400, cloud: 400)),
        HostileRequest(name: "forged signature before a valid one", headers: [("X-Inngest-Signature", "t=\(now)&s=00")],
                       body: good, expected: .init(dev: 200, cloud: 401)),

        // Framing: duplicate and conflicting lengths, smuggling, overflow, truncation.
        HostileRequest(name: "two different Content-Lengths", body: good, contentLengths: ["\(good.count)", "5"], expected: .both(400)),
        HostileRequest(name: "Content-Length and chunked together", headers: [("Transfer-Encoding", "chunked")], body: good,
                       expected: .both(400)),
        HostileRequest(name: "Content-Length overflowing Int64", body: good, contentLengths: ["99999999999999999999999"],
                       expected: .both(413)),
        HostileRequest(name: "negative Content-Length", body: good, contentLengths: ["-1"], expected: .both(400)),
        HostileRequest(name: "Content-Length with a sign", body: good, contentLengths: ["+\(good.count)"], expected: .both(400)),
        HostileRequest(name: "body cut short, then EOF", body: good, cutBody: 40, expected: .both(0)),
        HostileRequest(name: "Content-Length over the server's body limit", body: Array("{}".utf8), contentLengths: ["68719476736"],
                       expected: .both(413)),

        // The target: huge, missing, empty, undecodable.
        HostileRequest(name: "8 KB fnId", target: "/api/inngest?fnId=" + String(repeating: "f", count: 8192), body: good,
                       expected: .both(500)),
        HostileRequest(name: "64 KB fnId (head too large)", target: "/api/inngest?fnId=" + String(repeating: "f", count: 65536),
                       body: good, expected: .both(431)),
        HostileRequest(name: "missing fnId", target: "/api/inngest", body: good, expected: .both(400)),
        HostileRequest(name: "empty fnId", target: "/api/inngest?fnId=", body: good, expected: .both(400)),
        HostileRequest(name: "fnId of percent-encoded non-UTF-8", target: "/api/inngest?fnId=%FF%FE%00", body: good, expected: .both(400)),
        HostileRequest(name: "unknown probe", target: "/api/inngest?probe=%00", body: good, expected: .both(400)),
        HostileRequest(name: "unsupported method", method: "DELETE", target: "/api/inngest", signature: .none, expected: .both(405)),

        // Bodies: not JSON, wrong shape, wrong types, overflowing numbers, too deep, not UTF-8.
        HostileRequest(name: "body is not JSON", body: Array("ctx=1".utf8), expected: .both(400)),
        HostileRequest(name: "body truncated mid-JSON", body: Array(good.prefix(40)), expected: .both(400)),
        HostileRequest(name: "body is a JSON array", body: Array("[1,2]".utf8), expected: .both(400)),
        HostileRequest(name: "empty body", body: [], expected: .both(400)),
        HostileRequest(name: "body with non-UTF-8 bytes", body: Array(#"{"ctx":{"run_id":"\#u{0}"}}"#.utf8) + [0xFF, 0xFE],
                       expected: .both(400)),
        HostileRequest(name: "JSON nested 100,000 deep", body: nested(100_000), expected: .both(400)),
        HostileRequest(name: "steps is a string", body: body(replacing: ["steps": "bad base64 ===="]), expected: .both(400)),
        HostileRequest(name: "attempt overflowing Int64", body: edited("\"attempt\":0", "\"attempt\":99999999999999999999999"),
                       expected: .both(200)),
        HostileRequest(name: "attempt 1e400", body: edited("\"attempt\":0", "\"attempt\":1e400"), expected: .both(200)),
        HostileRequest(name: "negative max_attempts", body: body(ctx: ["max_attempts": -9223372036854775808]), expected: .both(200)),
        HostileRequest(name: "run_id is a number", body: body(ctx: ["run_id": 1]), expected: .both(400)),
        HostileRequest(name: "wrong content type", headers: [("Content-Type", "text/plain; charset=latin1")], body: good,
                       expected: .both(200)),
        HostileRequest(name: "use_api with no reachable API", body: body(ctx: ["use_api": true]), expected: .both(500)),
        HostileRequest(name: "in-band sync with a non-JSON body", method: "PUT", target: "/api/inngest",
                       headers: [("X-Inngest-Sync-Kind", "in_band")], body: Array("{{".utf8), expected: .both(400)),
    ]
}
