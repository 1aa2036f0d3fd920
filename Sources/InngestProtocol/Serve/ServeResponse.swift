import HTTP
import JSON

/// Builds the serve endpoint's responses. Every one carries `Content-Type:
/// application/json`, `X-Inngest-SDK` and `X-Inngest-Req-Version: 2` (the
/// server rejects a 2xx/206 without the SDK header), and is signed with the
/// key that verified the request, when one did.
struct ServeResponse {
    static func json(_ status: Int, _ body: JSON, headers extra: [(String, String)] = [],
                     signWith key: SigningKey? = nil, now: Int64 = 0) -> HTTPResponse {
        bytes(status, body.serializedBytes(), headers: extra, signWith: key, now: now)
    }

    static func bytes(_ status: Int, _ body: [UInt8], headers extra: [(String, String)] = [],
                      signWith key: SigningKey? = nil, now: Int64 = 0) -> HTTPResponse {
        var h = HTTPHeaders()
        h.add("Content-Type", "application/json")
        h.add("X-Inngest-SDK", SDKIdentity.header)
        h.add("X-Inngest-Req-Version", SDKIdentity.requestVersion)
        for (name, value) in extra { h.add(name, value) }
        if let key { h.add("X-Inngest-Signature", RequestSignature.sign(body: body, key: key, timestamp: now)) }
        return HTTPResponse(status: status, headers: h, body: body)
    }

    /// A JSON error `{"code","message"}` with explicit retry control.
    static func error(_ status: Int, code: String, message: String, retriable: Bool,
                      signWith key: SigningKey? = nil, now: Int64 = 0) -> HTTPResponse {
        json(status, ["code": .string(code), "message": .string(message)],
             headers: [("X-Inngest-No-Retry", retriable ? "false" : "true")], signWith: key, now: now)
    }

    /// The HTTP form of a call's outcome (docs/serve-protocol.md, "Responses and ops").
    static func outcome(_ outcome: CallOutcome, signWith key: SigningKey?, now: Int64) -> HTTPResponse {
        switch outcome {
        case .completed(let value):
            return json(200, value, signWith: key, now: now)
        case .steps(let ops, let noRetry, let retryAfter):
            var headers = [("X-Inngest-No-Retry", noRetry ? "true" : "false")]
            if let retryAfter { headers.append(("Retry-After", retryAfter)) }
            var body: [UInt8] = [UInt8(ascii: "[")]
            for (i, op) in ops.enumerated() {
                if i > 0 { body.append(UInt8(ascii: ",")) }
                op.serialize(into: &body)
            }
            body.append(UInt8(ascii: "]"))
            return bytes(206, body, headers: headers, signWith: key, now: now)
        case .failed(let error, let retriable, let retryAfter):
            var headers = [("X-Inngest-No-Retry", retriable ? "false" : "true")]
            if let retryAfter { headers.append(("Retry-After", retryAfter)) }
            return json(retriable ? 500 : 400, error, headers: headers, signWith: key, now: now)
        case .stepNotFound(let requested, let found):
            var body = JSONObject()
            body["code"] = "step_not_found"
            body["message"] = .string("Could not find step \(requested) to run; the function did not reach it on replay (it will be retried)")
            body["requestedStep"] = .string(requested)
            body["foundSteps"] = .array(found.map { .string($0) })
            return json(500, .object(body), headers: [("X-Inngest-No-Retry", "false")], signWith: key, now: now)
        }
    }
}
