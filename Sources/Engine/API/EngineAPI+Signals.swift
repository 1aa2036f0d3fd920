import HTTP
import JSON

/// `POST /v1/signals {"signal": name, "data": any}`: ends the one
/// `waitForSignal` holding that name. Authenticated like the rest of `/v1`.
/// Answers as the Inngest API does: `200 {"data": {"run_id"}}`, or `404` when
/// no run waits for the signal; a body that is not such an object is a `400`
/// (the server answers an empty signal name with a 500; here it is a 400 too).
extension EngineAPI {
    func receiveSignal(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard request.body.count <= limits.maxEventBytes else {
            return error(413, "signal of \(request.body.count) bytes exceeds the \(limits.maxEventBytes)-byte limit")
        }
        guard let body = try? JSON(parsing: request.body), case .object(let fields) = body else {
            return error(400, "Invalid signal data: the body must be a JSON object")
        }
        guard let signal = fields["signal"]?.stringValue, !signal.isEmpty else {
            return error(400, "Invalid signal data: 'signal' must be a non-empty string")
        }
        let (runID, effects) = try await core.sendSignal(signal, data: fields["data"] ?? .null)
        executor.apply(effects)
        guard let runID else { return error(404, "No signal found") }
        return json(200, ["data": ["run_id": .string(runID)], "metadata": metadata])
    }
}
