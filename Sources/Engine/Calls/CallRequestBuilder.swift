import HTTP
import JSON

/// Builds the HTTP request the engine sends to a worker for one queue item,
/// byte for byte in the shape the Inngest executor sends (keys in canonical
/// order, memoised step JSON spliced in as stored, no re-encoding).
struct CallRequestBuilder {
    let run: RunRecord
    let function: FunctionDefinition
    /// Memoised steps in completion order.
    let steps: [(id: String, memo: String)]
    let stepID: String
    let attempt: Int
    /// The call's queue item, sent as `ctx.qi_id`: what an async checkpoint names the call by.
    let queueItemID: Int64
    let maxBodyBytes: Int
    let timeoutSeconds: Double

    func request(signer: RequestSigner?, now: Int64) -> HTTPClientRequest {
        let events = ((try? JSON(parsing: run.eventsText))?.arrayValue) ?? []
        let eventText = (events.first ?? .null).serialized()
        var body = bodyBytes(eventText: eventText, eventsText: run.eventsText, includeState: true)
        if body.count > maxBodyBytes {
            // Too large to send inline: the SDK fetches /v0/runs/{id}/batch and /actions instead.
            body = bodyBytes(eventText: eventText, eventsText: "[]", includeState: false)
        }
        var headers = HTTPHeaders()
        headers.set("Content-Type", "application/json")
        headers.set("X-Run-ID", run.id)
        headers.set("X-Inngest-Step-ID", stepID)
        headers.set("x-inngest-req-version", String(run.version))
        headers.set("User-Agent", "joelclaw-embedded-engine")
        if let signer {
            headers.set("X-Inngest-Signature", signer.signature(body: body, unixSeconds: now / 1000))
        }
        return HTTPClientRequest(method: "POST", url: Self.url(function.url, stepID: stepID), headers: headers,
                                 body: body, timeout: timeoutSeconds)
    }

    private func bodyBytes(eventText: String, eventsText: String, includeState: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512 + eventsText.utf8.count * 2 + steps.reduce(0) { $0 + $1.memo.utf8.count + 48 })
        func add(_ s: String) { out.append(contentsOf: s.utf8) }
        let useAPI = includeState ? "false" : "true"
        add("{\"ctx\":{\"attempt\":\(attempt),\"disable_immediate_execution\":\(stepID != discoveryStepID),")
        add("\"env\":\"\",\"fn_id\":"); add(JSON.string(function.id).serialized())
        add(",\"max_attempts\":\(function.maxAttempts),\"qi_id\":\"\(queueItemID)\",\"run_id\":"); add(JSON.string(run.id).serialized())
        add(",\"stack\":{\"current\":\(steps.count),\"stack\":[")
        for (i, step) in steps.enumerated() {
            if i > 0 { add(",") }
            add(JSON.string(step.id).serialized())
        }
        add("]},\"step_id\":\"step\",\"use_api\":\(useAPI)},\"defers\":{},\"event\":"); add(eventText)
        add(",\"events\":"); add(eventsText)
        add(",\"steps\":{")
        if includeState {
            for (i, step) in steps.enumerated() {
                if i > 0 { add(",") }
                add(JSON.string(step.id).serialized()); add(":"); add(step.memo)
            }
        }
        add("},\"use_api\":\(useAPI),\"version\":\(run.version)}")
        return out
    }

    /// The registered URL with `stepId` set (replacing any value already there).
    static func url(_ base: String, stepID: String) -> String {
        let parts = base.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var params = parts.count > 1 ? parts[1].split(separator: "&").map(String.init) : []
        params.removeAll { $0.hasPrefix("stepId=") || $0 == "stepId" }
        params.append("stepId=\(stepID)")
        return String(parts[0]) + "?" + params.joined(separator: "&")
    }
}

/// Signs call bodies with the signing key (`X-Inngest-Signature: t=…&s=…`).
public protocol RequestSigner: Sendable {
    func signature(body: [UInt8], unixSeconds: Int64) -> String
}
