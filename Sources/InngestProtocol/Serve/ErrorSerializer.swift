import Foundation
import JSON

/// Turns any Swift error into the wire error object `{name, message}` (plus
/// `cause` when known), which the server shows in its UI and stores as the
/// step's `{"error":…}` memo.
enum ErrorSerializer {
    static func serialize(_ error: any Error) -> JSON {
        var o = JSONObject()
        o["name"] = .string(name(of: error))
        o["message"] = .string(message(of: error))
        if let e = error as? NonRetriableError, let cause = e.cause { o["cause"] = .string(cause) }
        if let e = error as? StepError, let stack = e.stack { o["stack"] = .string(stack) }
        return .object(o)
    }

    static func name(of error: any Error) -> String {
        switch error {
        case is NonRetriableError: return "NonRetriableError"
        case is RetryAfterError: return "RetryAfterError"
        case is StepError: return "StepError"
        default: return String(describing: type(of: error))
        }
    }

    static func message(of error: any Error) -> String {
        if let e = error as? LocalizedError, let text = e.errorDescription { return text }
        return String(describing: error)
    }
}
