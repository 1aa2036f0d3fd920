import JSON

/// One op of a 206 response, as the server reads it (srv `state/opcode.go`).
struct GeneratorOp: Sendable {
    let op: String
    let id: String
    let name: String?
    let displayName: String?
    let opts: JSON?
    let data: JSON?
    var error: JSON?

    init?(_ json: JSON) {
        guard case .object(let o) = json else { return nil }
        op = o["op"]?.stringValue ?? "None"
        id = o["id"]?.stringValue ?? ""
        name = o["name"]?.stringValue
        displayName = o["displayName"]?.stringValue
        opts = o["opts"]
        data = o["data"]
        error = o["error"]
    }

    /// The op code compared case-insensitively, as the server does.
    var code: String { op.lowercased() }

    /// The user-facing step name (displayName, else name, else id).
    var label: String { displayName ?? name ?? id }
}

/// What a worker call produced, decoded from the HTTP response.
struct CallResult: Sendable {
    enum Outcome: Sendable {
        /// 200: the function returned this value.
        case completed(JSON)
        /// 206: ops to act on.
        case ops([GeneratorOp])
        /// Anything else: the call failed with this error object.
        case failed(JSON)
    }

    let outcome: Outcome
    /// `X-Inngest-Req-Version` from the response, if sent.
    let version: Int?
    /// `X-Inngest-No-Retry: true`.
    let noRetry: Bool
    /// `Retry-After`, resolved to Unix milliseconds.
    let retryAt: Int64?
}
