import InngestProtocol
import JSON

/// What a worker call produced, decoded from the HTTP response.
struct CallResult: Sendable {
    enum Outcome: Sendable {
        /// 200: the function returned this value.
        case completed(JSON)
        /// 206: ops to act on, in the order the worker sent them.
        case ops([ReceivedOp])
        /// Anything else: the call failed with this error object.
        case failed(JSON)
    }

    /// One entry of a 206 body: an op the SDK's `GeneratorOp` reads, or one
    /// whose code it does not know (that step is failed, the rest carry on).
    enum ReceivedOp: Sendable {
        case known(GeneratorOp)
        case unsupported(code: String, stepID: String)
    }

    let outcome: Outcome
    /// `X-Inngest-Req-Version` from the response, if sent.
    let version: Int?
    /// `X-Inngest-No-Retry: true`.
    let noRetry: Bool
    /// `Retry-After`, resolved to Unix milliseconds.
    let retryAt: Int64?
}
