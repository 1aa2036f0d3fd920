import Foundation
import HTTP
import JSON

/// Reads run state from the Inngest server's REST API (`/dev`, `/v1/events/…`),
/// as `inngest dev` and `inngest start` serve it.
struct ServerAPI: Sendable {
    let baseURL: String
    let http: SocketHTTPClient
    /// The signing key, sent as a bearer token (`inngest start` wants it; the dev server ignores it).
    let bearer: String?

    struct Run: Sendable {
        let id: String
        let status: String
        let output: JSON?

        var hasEnded: Bool { ["Completed", "Failed", "Cancelled"].contains(status) }
    }

    func get(_ path: String) async throws -> JSON {
        var headers = HTTPHeaders()
        if let bearer { headers.set("Authorization", "Bearer \(bearer)") }
        let response = try await http.send(HTTPClientRequest(method: "GET", url: baseURL + path, headers: headers, timeout: 10))
        guard response.status == 200 else {
            throw InteropError(message: "GET \(path): \(response.status) \(String(decoding: response.body.prefix(300), as: UTF8.self))")
        }
        return try JSON(parsing: response.body)
    }

    func runs(ofEvent id: String) async throws -> [Run] {
        (try await get("/v1/events/\(id)/runs")["data"]?.arrayValue ?? []).map { r in
            Run(id: r["run_id"]?.stringValue ?? "", status: r["status"]?.stringValue ?? "", output: r["output"])
        }
    }

    /// Polls (the server caches this answer for up to 5 s) until one of the events has a
    /// run that ended, or `deadline` seconds pass.
    func endedRun(ofAnyEvent ids: [String], deadline: Double = 60) async throws -> Run {
        let end = Date().addingTimeInterval(deadline)
        var last: [String] = []
        while Date() < end {
            last = []
            for id in ids {
                let runs = try await runs(ofEvent: id)
                if let run = runs.first(where: \.hasEnded) { return run }
                last += runs.map(\.status)
            }
            try await Task.sleep(nanoseconds: 500_000_000)
        }
        throw InteropError(message: "events \(ids): no ended run after \(Int(deadline)) s (last seen: \(last))")
    }

    func endedRun(ofEvent id: String, deadline: Double = 60) async throws -> Run {
        try await endedRun(ofAnyEvent: [id], deadline: deadline)
    }

    /// Polls until the event has a run in any state (e.g. to know it reached a wait).
    func startedRun(ofEvent id: String, deadline: Double = 30) async throws -> Run {
        let end = Date().addingTimeInterval(deadline)
        while Date() < end {
            if let run = try await runs(ofEvent: id).first { return run }
            try await Task.sleep(nanoseconds: 500_000_000)
        }
        throw InteropError(message: "event \(id): no run after \(Int(deadline)) s")
    }
}
