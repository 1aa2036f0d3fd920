import JSON

extension Inngest {
    /// Sends a signal to the run waiting for it in `step.waitForSignal`, through
    /// this app's REST API (`POST /v1/signals`, authenticated with the signing
    /// key). Returns the resumed run's id, or nil when no run waits for `signal`.
    @discardableResult
    public func sendSignal(_ signal: String, data: JSON = .null) async throws -> String? {
        try await InngestAPIClient(configuration: configuration, httpClient: httpClient).sendSignal(signal, data: data)
    }
}
