import HTTP
import JSON
@testable import InngestProtocol

/// An HTTP client for tests that must not reach the network: every request fails.
struct UnreachableHTTPClient: HTTPClient {
    func send(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        throw HTTPClientError.transport("network disabled in this test")
    }
}

/// Builds call requests the way the server does (docs/serve-protocol.md, "Calls").
enum CallBody {
    static func make(event: JSON = ["name": "test/event", "data": [:], "id": "evt1", "ts": 1717171717171, "user": [:]],
                     steps: JSONObject = JSONObject(), attempt: Int = 0, maxAttempts: Int = 4,
                     disableImmediateExecution: Bool = false, stack: [String] = [], useAPI: Bool = false,
                     queueItem: String = "") -> [UInt8] {
        let ctx: JSON = [
            "attempt": .number(JSONNumber(attempt)),
            "disable_immediate_execution": .bool(disableImmediateExecution),
            "env": "", "fn_id": "8f7b2a1e-0000-4000-8000-000000000001",
            "max_attempts": .number(JSONNumber(maxAttempts)), "qi_id": .string(queueItem),
            "run_id": "01HZXJ4K8Y8N3S7D2G5Q6R9T0V",
            "stack": ["current": .number(JSONNumber(stack.count)), "stack": .array(stack.map { .string($0) })],
            "step_id": "step", "use_api": .bool(useAPI),
        ]
        let body: JSON = ["ctx": ctx, "defers": [:], "event": event, "events": [event],
                          "steps": .object(steps), "use_api": .bool(useAPI), "version": -1]
        return body.canonicalBytes()
    }

    static func request(fnId: String, stepId: String = "step", body: [UInt8], headers: HTTPHeaders = HTTPHeaders()) -> HTTPRequest {
        HTTPRequest(method: "POST", target: "/api/inngest?fnId=\(fnId)&stepId=\(stepId)", path: "/api/inngest",
                    query: [("fnId", fnId), ("stepId", stepId)], headers: headers, body: body)
    }
}

func devInngest(_ functions: [InngestFunction], client: any HTTPClient = UnreachableHTTPClient(),
                middleware: [any InngestMiddleware] = [], logSink: any InngestLogSink = DiscardingLogSink()) -> Inngest {
    Inngest(appId: "test-app", functions: functions, configuration: InngestConfiguration(mode: .dev),
            httpClient: client, middleware: middleware, logSink: logSink)
}

extension HTTPResponse {
    var bodyBytes: [UInt8] {
        if case .bytes(let b) = body { return b }
        return []
    }
    var json: JSON? { try? JSON(parsing: bodyBytes) }
}
