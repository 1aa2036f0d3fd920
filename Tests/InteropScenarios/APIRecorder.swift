import Foundation
import HTTP

/// The SDK's own HTTP client, wrapped to note the status of every call it makes to
/// the server's API (`/fn/register`, `/v0/runs/…`) in order, so a check can show
/// the bearer key falling back after a 401 instead of only inferring it.
struct APIRecorder: HTTPClient {
    let base: SocketHTTPClient

    func send(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        let response = try await base.send(request)
        let path = URLComponents(string: request.url)?.path ?? ""
        let kind = path.hasPrefix("/fn/register") ? "register" : path.hasPrefix("/v0/runs/") ? "runs" : nil
        if let kind { await RunTally.shared.log("api:\(kind)", "\(response.status)") }
        return response
    }
}
