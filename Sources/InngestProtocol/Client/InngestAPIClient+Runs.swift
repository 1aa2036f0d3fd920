import HTTP
import JSON

/// Pages of events and runs, a run's trace, cancel and re-run: what a
/// dashboard reads from the Inngest REST API. The embedded engine answers all
/// of these; an Inngest server answers those it has (the engine's additions
/// are listed in docs/engine.md), and a missing one surfaces as `rejected`.
extension InngestAPIClient {
    /// One page of a newest-first listing; `cursor` asks for the next page.
    public struct Page: Sendable {
        public var items: [JSON]
        public var cursor: String?
    }

    /// `GET /v1/events`: recent events, newest first.
    public func events(name: String? = nil, receivedAfter: String? = nil, receivedBefore: String? = nil,
                       cursor: String? = nil, limit: Int = 20, timeout: Double = 10) async throws -> Page {
        let reply = try await call("GET", "/v1/events", query: [("name", name), ("received_after", receivedAfter),
                                                                ("received_before", receivedBefore), ("cursor", cursor),
                                                                ("limit", String(limit))], timeout: timeout)
        return Page(items: reply["data"]?.arrayValue ?? [], cursor: reply["cursor"]?.stringValue)
    }

    /// `GET /v1/runs`: runs, newest first, filtered by function, status and start time (RFC 3339).
    public func runs(functionID: String? = nil, status: String? = nil, from: String? = nil, until: String? = nil,
                     cursor: String? = nil, limit: Int = 20, timeout: Double = 10) async throws -> Page {
        let reply = try await call("GET", "/v1/runs", query: [("function_id", functionID), ("status", status), ("from", from),
                                                              ("until", until), ("cursor", cursor), ("first", String(limit))],
                                   timeout: timeout)
        let more = reply["has_more"]?.boolValue ?? true
        return Page(items: reply["runs"]?.arrayValue ?? [], cursor: more ? reply["cursor"]?.stringValue : nil)
    }

    /// `GET /v1/apps/{app}/functions`: the app's functions as the server stores them
    /// (`id` the slug, `internal_id` the server's own id, `config`).
    public func appFunctions(_ appID: String, timeout: Double = 10) async throws -> [JSON] {
        let reply = try await call("GET", "/v1/apps/\(RegisterPayload.percentEncode(appID))/functions", timeout: timeout)
        guard let list = reply.arrayValue else { throw InngestAPIError.badReply("the app's functions are not a list") }
        return list
    }

    /// `GET /v1/runs/counts`: how many runs match, counted up to `cap` (the embedded engine's form).
    public func runCount(functionID: String? = nil, status: String? = nil, from: String? = nil,
                         cap: Int = 10_000, timeout: Double = 10) async throws -> (count: Int, capped: Bool) {
        let reply = try await call("GET", "/v1/runs/counts", query: [("function_id", functionID), ("status", status),
                                                                     ("from", from), ("cap", String(cap))], timeout: timeout)
        // The Inngest API's own counts endpoint ignores `function_id` and has no `capped`:
        // a count that may be for every function is no count for this one.
        guard let capped = reply["capped"]?.boolValue, let count = reply["count"]?.intValue else {
            throw InngestAPIError.badReply("this server's run counts are not per function")
        }
        return (count, capped)
    }

    /// `GET /v1/runs/{id}`: a run's status and output.
    public func run(_ runID: String, timeout: Double = 10) async throws -> JSON {
        try await call("GET", "/v1/runs/\(RegisterPayload.percentEncode(runID))", timeout: timeout)["data"] ?? .null
    }

    /// `GET /v1/runs/{id}/trace`: the run as a root span with its steps as children.
    public func runTrace(_ runID: String, timeout: Double = 10) async throws -> JSON {
        try await call("GET", "/v1/runs/\(RegisterPayload.percentEncode(runID))/trace", timeout: timeout)["data"] ?? .null
    }

    /// `GET /v1/events/{id}`: one event.
    public func event(_ eventID: String, timeout: Double = 10) async throws -> JSON {
        try await call("GET", "/v1/events/\(RegisterPayload.percentEncode(eventID))", timeout: timeout)["data"] ?? .null
    }

    /// `DELETE /v1/runs/{id}`: cancels a running run.
    public func cancelRun(_ runID: String, timeout: Double = 10) async throws {
        _ = try await call("DELETE", "/v1/runs/\(RegisterPayload.percentEncode(runID))", timeout: timeout)
    }

    /// `POST /v1/runs/{id}/rerun`: a new run of the same function with the same event; returns its id.
    public func rerun(_ runID: String, timeout: Double = 10) async throws -> String {
        let reply = try await call("POST", "/v1/runs/\(RegisterPayload.percentEncode(runID))/rerun", timeout: timeout)
        guard let id = reply["data"]?["run_id"]?.stringValue else { throw InngestAPIError.badReply("no run_id in the re-run reply") }
        return id
    }

    /// One request; absent query values are left out, present ones percent-encoded.
    func call(_ method: String, _ path: String, query: [(String, String?)] = [], timeout: Double) async throws -> JSON {
        let pairs = query.compactMap { name, value in value.map { "\(name)=\(RegisterPayload.percentEncode($0))" } }
        let target = pairs.isEmpty ? path : path + "?" + pairs.joined(separator: "&")
        let redactor = SecretRedactor(configuration: configuration)
        let response: HTTPClientResponse
        do {
            response = try await send(method: method, path: target, timeout: timeout)
        } catch {
            throw InngestAPIError.unreachable(redactor.redact(String(describing: error)))
        }
        guard (200...299).contains(response.status) else {
            let reply = try? JSON(parsing: response.body)
            let message = reply?["error"]?.stringValue ?? String(decoding: response.body.prefix(300), as: UTF8.self)
            throw InngestAPIError.rejected(status: response.status, message: redactor.redact(message))
        }
        guard let reply = try? JSON(parsing: response.body) else {
            throw InngestAPIError.badReply(redactor.redact(String(decoding: response.body.prefix(300), as: UTF8.self)))
        }
        return reply
    }
}
