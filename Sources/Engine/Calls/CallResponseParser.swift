import Foundation
import HTTP
import InngestProtocol
import JSON
import Support

/// Turns a worker's HTTP response into a `CallResult`, the way the Inngest
/// executor reads it (`pkg/execution/driver/httpdriver` in inngest/inngest): 200 = done, 206 = ops, 201 = a
/// streamed envelope, anything else = error; `X-Inngest-No-Retry` decides
/// retries and `Retry-After` their time; a 2xx without `X-Inngest-SDK` is not
/// from an SDK and counts as a retriable error.
enum CallResponseParser {
    static func parse(_ response: HTTPClientResponse, now: Int64) -> CallResult {
        parse(status: response.status, headers: response.headers, body: response.body, now: now)
    }

    static func parse(status: Int, headers: HTTPHeaders, body: [UInt8], now: Int64) -> CallResult {
        let version = headers["X-Inngest-Req-Version"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let noRetry = headers["X-Inngest-No-Retry"]?.lowercased() == "true"
        let retryAt = headers["Retry-After"].flatMap { retryAfter($0, now: now) }

        if status == 201, let envelope = try? JSON(parsing: body), let inner = envelope["status"]?.intValue {
            // Streaming: whitespace keep-alives, then {"status", "body", "headers"}.
            var innerHeaders = headers
            if case .object(let h)? = envelope["headers"] {
                for (k, v) in h { if let s = v.stringValue { innerHeaders.set(k, s) } }
            }
            var innerBody: [UInt8]
            switch envelope["body"] {
            case .string(let s)?: innerBody = Array(s.utf8)
            case let other?: innerBody = other.serializedBytes()
            case nil: innerBody = []
            }
            if innerBody.isEmpty { innerBody = Array("null".utf8) }
            return parse(status: inner, headers: innerHeaders, body: innerBody, now: now)
        }

        func failure(_ error: JSON) -> CallResult {
            CallResult(outcome: .failed(error), version: version, noRetry: noRetry, retryAt: retryAt)
        }

        if status == 200 || status == 206 {
            guard headers.contains("X-Inngest-SDK") else {
                return failure(["name": "Error", "message": .string("response lacks X-Inngest-SDK: not an Inngest SDK (status \(status))")])
            }
        }
        switch status {
        case 200:
            let output: JSON
            if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
                output = .null
            } else if let parsed = try? JSON(parsing: body) {
                output = parsed
            } else {
                output = .string(String(decoding: body, as: UTF8.self))
            }
            return CallResult(outcome: .completed(output), version: version, noRetry: noRetry, retryAt: retryAt)
        case 206:
            guard let parsed = try? JSON(parsing: body) else {
                return failure(["name": "Error", "message": "206 body is not JSON"])
            }
            let list: [JSON] = parsed.arrayValue ?? [parsed]
            var ops: [CallResult.ReceivedOp] = []
            for entry in list {
                do {
                    ops.append(.known(try GeneratorOp(json: entry)))
                } catch .unknownOpcode(let code, let id) {
                    ops.append(.unsupported(code: code, stepID: id))
                } catch {
                    return failure(["name": "Error", "message": "206 body holds a non-object op"])
                }
            }
            return CallResult(outcome: .ops(ops), version: version, noRetry: noRetry, retryAt: retryAt)
        default:
            var error: JSON
            if let parsed = try? JSON(parsing: body), case .object = parsed {
                error = parsed
            } else {
                let text = String(decoding: body.prefix(4096), as: UTF8.self)
                error = ["name": "Error", "message": .string(text.isEmpty ? "worker answered HTTP \(status)" : text)]
            }
            if error["message"] == nil { error["message"] = .string("worker answered HTTP \(status)") }
            return failure(error)
        }
    }

    /// `Retry-After` as seconds (up to 7 digits) or an HTTP/RFC 3339 date.
    static func retryAfter(_ text: String, now: Int64) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.count <= 7, let seconds = Int64(trimmed) { return now + seconds * 1000 }
        if let milliseconds = UTCTimestamp.milliseconds(rfc3339: trimmed) { return milliseconds }
        let http = DateFormatter()
        http.locale = Locale(identifier: "en_US_POSIX")
        http.timeZone = TimeZone(identifier: "GMT")
        http.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return http.date(from: trimmed).map { Int64($0.timeIntervalSince1970 * 1000) }
    }
}
