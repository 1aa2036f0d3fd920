import Foundation
import HTTP
import JSON

/// Reads run state from the Inngest server's REST API (`/v1/events/…`) and, for a run's
/// final status, its GraphQL API, as `inngest dev` and `inngest start` serve them; the
/// embedded engine has the REST API only, where a run's status is final once it has ended.
struct ServerAPI: Sendable {
    let baseURL: String
    let http: SocketHTTPClient
    /// The signing key, sent as a bearer token (`inngest start` wants it; the dev server ignores it).
    let bearer: String?

    struct Run: Sendable {
        let id: String
        let status: String
        let output: JSON?
        /// `ended_at`: set only when the run has finished for good. `nil` while it runs or
        /// waits for a retry: newer servers derive `status` from the run's trace, which says
        /// `Failed` for a failed attempt whose retry is still pending (and may lag behind the end).
        let endedAt: String?
        /// Whether the server's answer has an `ended_at` field at all.
        let reportsEndedAt: Bool

        var hasEnded: Bool {
            ["Completed", "Failed", "Cancelled"].contains(status) && (endedAt != nil || !reportsEndedAt)
        }
    }

    func get(_ path: String) async throws -> JSON {
        try await send("GET", path)
    }

    private func send(_ method: String, _ path: String, body: [UInt8] = []) async throws -> JSON {
        var headers = HTTPHeaders()
        if let bearer { headers.set("Authorization", "Bearer \(bearer)") }
        if !body.isEmpty { headers.set("Content-Type", "application/json") }
        let response = try await http.send(HTTPClientRequest(method: method, url: baseURL + path, headers: headers,
                                                             body: body, timeout: 10))
        guard response.status == 200 else {
            throw InteropError(message: "\(method) \(path): \(response.status) \(String(decoding: response.body.prefix(300), as: UTF8.self))")
        }
        return try JSON(parsing: response.body)
    }

    func runs(ofEvent id: String) async throws -> [Run] {
        var runs: [Run] = []
        for r in try await get("/v1/events/\(id)/runs")["data"]?.arrayValue ?? [] {
            let run = Run(id: r["run_id"]?.stringValue ?? "", status: r["status"]?.stringValue ?? "", output: r["output"],
                          endedAt: r["ended_at"]?.stringValue, reportsEndedAt: r["ended_at"] != nil)
            guard run.endedAt != nil, let final = await finalStatus(ofRun: run.id) else { runs.append(run); continue }
            runs.append(Run(id: run.id, status: final, output: run.output, endedAt: run.endedAt, reportsEndedAt: true))
        }
        return runs
    }

    /// The slugs of the app's functions: GraphQL `functions` where the server has it
    /// (`inngest dev` and `inngest start`), else `GET /v1/apps/{app}/functions` (the embedded engine).
    func functionSlugs(app: String) async throws -> [String] {
        let query = (["query": "{ functions { slug } }"] as JSON).serializedBytes()
        if let answer = try? await send("POST", "/v0/gql", body: query), let functions = answer["data"]?["functions"]?.arrayValue {
            return functions.compactMap { $0["slug"]?.stringValue }
        }
        return (try await get("/v1/apps/\(app)/functions").arrayValue ?? []).compactMap { $0["id"]?.stringValue }
    }

    /// The status in the server's history record of a run that has ended (GraphQL
    /// `functionRun`, written once at the end), e.g. `Completed`; `nil` if unavailable.
    func finalStatus(ofRun id: String) async -> String? {
        let query: JSON = ["query": .string("{ functionRun(query: {functionRunId: \"\(id)\"}) { status } }")]
        guard let answer = try? await send("POST", "/v0/gql", body: query.serializedBytes()),
              let status = answer["data"]?["functionRun"]?["status"]?.stringValue,
              ["COMPLETED", "FAILED", "CANCELLED"].contains(status) else { return nil }
        return status.prefix(1) + status.dropFirst().lowercased()
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
                last += runs.map { $0.status + ($0.endedAt == nil ? " (not ended)" : "") }
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
