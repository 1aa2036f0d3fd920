import HTTP
import JSON

/// Async checkpoints (`POST /v1/checkpoint/{runId}/async`): step results a call
/// saves on the server before it goes on to the next step (`Checkpointing`).
extension InngestAPIClient {
    /// What the server made of a checkpoint.
    public enum CheckpointReply: Sendable, Equatable {
        /// Stored: the steps are memoised and the call's attempts start again from 0.
        case stored
        /// `409`: the server has given up on this call (it timed out and was queued
        /// again); whatever it still answers is ignored, so it must stop.
        case stale
        /// Anything else (no such route on an older server, the run is gone, a network
        /// error): nothing was stored, so the call reports the steps the usual way.
        case refused(String)
    }

    /// Sends the ops of one call (`StepRun`s) as an async checkpoint.
    public func checkpointAsync(runID: String, functionUUID: String, queueItemRef: String, requestID: String?,
                                generationID: Int?, steps: [GeneratorOp], nowMilliseconds: Int64,
                                timeout: Double = 10) async -> CheckpointReply {
        var body = JSONObject()
        body["run_id"] = .string(runID)
        body["fn_id"] = .string(functionUUID)
        body["qi_id"] = .string(queueItemRef)
        if let requestID { body["request_id"] = .string(requestID) }
        if let generationID { body["generation_id"] = .number(JSONNumber(generationID)) }
        body["steps"] = .array(steps.map(\.json))
        body["ts"] = .number(JSONNumber(nowMilliseconds))
        let redactor = SecretRedactor(configuration: configuration)
        do {
            let response = try await send(method: "POST", path: "/v1/checkpoint/\(RegisterPayload.percentEncode(runID))/async",
                                          body: JSON.object(body).serializedBytes(), timeout: timeout)
            switch response.status {
            case 200...299: return .stored
            case 409: return .stale
            default:
                let text = String(decoding: response.body.prefix(300), as: UTF8.self)
                return .refused(redactor.redact("HTTP \(response.status): \(text)"))
            }
        } catch {
            return .refused(redactor.redact(String(describing: error)))
        }
    }
}
