import HTTP
import JSON

/// Sending a signal (`POST /v1/signals`): resumes the one run waiting in
/// `step.waitForSignal` for that name, on an Inngest server or the embedded engine.
extension InngestAPIClient {
    /// Sends `signal` with `data`; returns the id of the run it resumed, or nil
    /// when no run is waiting for it (the API's 404). Other failures throw
    /// `InngestAPIError`.
    public func sendSignal(_ signal: String, data: JSON = .null, timeout: Double = 10) async throws -> String? {
        var body = JSONObject()
        body["signal"] = .string(signal)
        body["data"] = data
        let redactor = SecretRedactor(configuration: configuration)
        let response: HTTPClientResponse
        do {
            response = try await send(method: "POST", path: "/v1/signals", body: JSON.object(body).serializedBytes(),
                                      timeout: timeout)
        } catch {
            throw InngestAPIError.unreachable(redactor.redact(String(describing: error)))
        }
        if response.status == 404, let reply = try? JSON(parsing: response.body), reply["error"] != nil {
            return nil // no run waits for this signal (a route missing on an old server has no JSON error)
        }
        guard (200...299).contains(response.status) else {
            let message = String(decoding: response.body.prefix(300), as: UTF8.self)
            throw InngestAPIError.rejected(status: response.status, message: redactor.redact(message))
        }
        guard let runID = (try? JSON(parsing: response.body))?["data"]?["run_id"]?.stringValue else {
            throw InngestAPIError.badReply(redactor.redact(String(decoding: response.body.prefix(300), as: UTF8.self)))
        }
        return runID
    }
}
