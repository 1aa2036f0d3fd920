import HTTP
import JSON

/// `POST /v1/checkpoint/{runId}/async`: a worker's async checkpoint
/// (`AsyncCheckpoints`), authenticated like the rest of `/v1`. Body as the
/// Inngest API reads it: `{run_id, fn_id, qi_id, steps: [ops], request_id?,
/// generation_id?, ts?}`. Answers `200 {}` when stored, `409` for a stale
/// call, `413` for an oversized step, `404` for an unknown run, `400` otherwise.
/// The server's other checkpoint routes (`POST /v1/checkpoint`,
/// `/{runId}/steps`, `/{runId}/output`) serve API-started runs, which the engine does not have.
extension EngineAPI {
    /// A checkpoint carries step outputs of up to 4 MiB each.
    static let maxCheckpointBytes = 6 << 20

    func receiveCheckpoint(_ request: HTTPRequest, runID: String) async throws -> HTTPResponse {
        guard request.body.count <= Self.maxCheckpointBytes else {
            return error(413, "checkpoint of \(request.body.count) bytes exceeds the \(Self.maxCheckpointBytes)-byte limit")
        }
        guard let body = try? JSON(parsing: request.body), case .object(let fields) = body else {
            return error(400, "invalid request body: not a JSON object")
        }
        guard let functionID = fields["fn_id"]?.stringValue, let queueItem = fields["qi_id"]?.stringValue,
              let steps = fields["steps"]?.arrayValue else {
            return error(400, "invalid request body: fn_id, qi_id and steps are required")
        }
        if let named = fields["run_id"]?.stringValue, named != runID {
            return error(400, "run_id '\(named)' does not match the path")
        }
        switch try await core.checkpoint(runID: runID, functionID: functionID, queueItem: queueItem, steps: steps) {
        case .stored: return json(200, [:])
        case .unknownRun: return error(404, "run not found")
        case .stale(let why): return error(409, "stale dispatch: \(why)")
        case .refused(let why): return error(400, why)
        case .tooLarge(let why): return error(413, why)
        }
    }
}
