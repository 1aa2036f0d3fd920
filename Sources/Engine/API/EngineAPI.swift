import HTTP
import InngestProtocol
import JSON

/// The engine's HTTP API: the subset of the Inngest dev server's API that
/// SDKs and clients use.
///
///     POST   /e/{key}                 send one event or an array of events
///     POST   /fn/register             sync an app's functions
///     GET    /v1/events               recent events (EngineAPI+Listing.swift, with the runs
///                                     list, counts, a run's trace and re-run)
///     GET    /v1/events/{id}          one event
///     GET    /v1/events/{id}/runs     the runs an event started
///     GET    /v1/runs/{id}            a run's status and output
///     DELETE /v1/runs/{id}            cancel a run
///     POST   /v1/signals              resume the run waiting for a signal (EngineAPI+Signals.swift)
///     POST   /v1/checkpoint/{id}/async  steps a running call saved (EngineAPI+Checkpoint.swift)
///     GET    /v0/runs/{id}/batch      a run's events (large-payload fetch)
///     GET    /v0/runs/{id}/actions    a run's memoised steps (large-payload fetch)
///     GET    /health                  liveness and queue depth
///
/// Errors are JSON `{"error": "...", "status": N}`. Nothing is stored unless
/// the whole request is valid.
public struct EngineAPI: HTTPHandler {
    /// Limits and keys for the event endpoint.
    public struct Limits: Sendable {
        /// Largest request body accepted by `POST /e/{key}`.
        public var maxEventRequestBytes = 3 * 1024 * 1024
        /// Largest single event (serialised).
        public var maxEventBytes = 512 * 1024
        /// Most events in one request.
        public var maxEventsPerRequest = 5_000
        public init() {}
    }

    let core: EngineCore
    let executor: Executor
    let limits: Limits
    /// Accepted event keys; empty accepts any key (like `inngest dev`).
    let eventKeys: Set<String>
    /// Checks `Authorization` for /fn/register, /v0 and /v1; nil means open (no signing key).
    let authorize: (@Sendable (String?) -> Bool)?

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        switch (request.method, parts.count, parts.first) {
        case ("POST", 2, "e"):
            return await receiveEvents(request, key: parts[1])
        case ("POST", 2, "fn") where parts[1] == "register":
            guard authorized(request) else { return unauthorized() }
            return await register(request)
        case ("GET", 1, "health"):
            return json(200, ["status": "ok", "engine": "embedded",
                              "queued": .number(JSONNumber(executor.scheduler?.pendingCount ?? 0)),
                              "in_flight": .number(JSONNumber(executor.scheduler?.inFlightCount ?? 0))])
        case (_, _, "v1"), (_, _, "v0"):
            guard authorized(request) else { return unauthorized() }
            return await query(request, parts)
        default:
            return error(404, "no route for \(request.method) \(request.path)")
        }
    }

    // MARK: Events

    private func receiveEvents(_ request: HTTPRequest, key: String) async -> HTTPResponse {
        if !eventKeys.isEmpty && !eventKeys.contains(key) { return error(401, "Event key not found") }
        guard request.body.count <= limits.maxEventRequestBytes else {
            return error(413, "request body of \(request.body.count) bytes exceeds the \(limits.maxEventRequestBytes)-byte limit")
        }
        let parsed: JSON
        do { parsed = try JSON(parsing: request.body) } catch { return self.error(400, "body is not valid JSON: \(error)") }
        let list: [JSON]
        switch parsed {
        case .array(let a): list = a
        case .object: list = [parsed]
        default: return error(400, "body must be an event object or an array of events")
        }
        guard list.count <= limits.maxEventsPerRequest else {
            return error(400, "at most \(limits.maxEventsPerRequest) events per request")
        }
        var events: [IncomingEvent] = []
        for (index, item) in list.enumerated() {
            do {
                let event = try IncomingEvent(validating: item, index: index)
                let size = item.serializedBytes().count
                if size > limits.maxEventBytes {
                    return error(413, "event \(index) is \(size) bytes, over the \(limits.maxEventBytes)-byte limit")
                }
                if event.name.utf8.count > 256 { return error(400, "event \(index): 'name' is longer than 256 bytes") }
                events.append(event)
            } catch {
                return self.error(400, "\(error)")
            }
        }
        do {
            let (ids, effects) = try await core.acceptEvents(events)
            executor.apply(effects)
            return json(200, ["ids": .array(ids.map { .string($0) }), "status": 200])
        } catch {
            return self.error(500, "events not stored: \(error)")
        }
    }

    // MARK: Registration

    private func register(_ request: HTTPRequest) async -> HTTPResponse {
        let payload: JSON
        do { payload = try JSON(parsing: request.body) } catch { return self.error(400, "body is not valid JSON: \(error)") }
        do {
            let result = try await core.register(payload)
            executor.apply(result.effects)
            return json(200, ["ok": true, "modified": .bool(result.modified), "app_id": .string(result.appID),
                              "sync_id": .string(core.ids.next()), "function_count": .number(JSONNumber(result.functionCount))])
        } catch let refused as EngineRegistrationError {
            return error(400, refused.message)
        } catch {
            return self.error(500, "registration not stored: \(error)")
        }
    }

    // MARK: Queries

    private func query(_ request: HTTPRequest, _ parts: [String]) async -> HTTPResponse {
        do {
            switch (request.method, parts.count, parts.count > 1 ? parts[1] : "") {
            case ("GET", 2, "events") where parts[0] == "v1":
                return try listEvents(request)
            case ("GET", 2, "runs") where parts[0] == "v1":
                return try listRuns(request)
            case ("GET", 3, "runs") where parts[0] == "v1" && parts[2] == "counts":
                return try countRuns(request)
            case ("GET", 4, "runs") where parts[0] == "v1" && parts[3] == "trace":
                return try trace(parts[2])
            case ("POST", 4, "runs") where parts[0] == "v1" && parts[3] == "rerun":
                return try await rerun(parts[2])
            case ("POST", 2, "signals") where parts[0] == "v1":
                return try await receiveSignal(request)
            case ("POST", 4, "checkpoint") where parts[0] == "v1" && parts[3] == "async":
                return try await receiveCheckpoint(request, runID: parts[2])
            case ("GET", 4, "apps") where parts[0] == "v1" && parts[3] == "functions":
                return try appFunctions(parts[2])
            case ("GET", 3, "events"):
                guard let body = try core.store.eventBody(parts[2]), let event = try? JSON(parsing: body) else {
                    return error(404, "event not found")
                }
                return json(200, ["data": event, "metadata": metadata])
            case ("GET", 4, "events") where parts[3] == "runs":
                let runs = try core.store.runs(forEvent: parts[2]).map(runJSON)
                return json(200, ["data": .array(runs), "metadata": metadata])
            case ("GET", 3, "runs") where parts[0] == "v1":
                guard let run = try core.store.run(parts[2]) else { return error(404, "run not found") }
                return json(200, ["data": runJSON(run), "metadata": metadata])
            case ("DELETE", 3, "runs") where parts[0] == "v1":
                let (cancelled, effects) = try await core.cancel(runID: parts[2])
                executor.apply(effects)
                guard cancelled else { return error(404, "run not found or already finished") }
                return json(200, ["data": ["run_id": .string(parts[2]), "status": "Cancelled"]])
            case ("GET", 4, "runs") where parts[0] == "v0" && parts[3] == "batch":
                guard let run = try core.store.run(parts[2]) else { return error(410, "run state not found") }
                return raw(200, run.eventsText)
            case ("GET", 4, "runs") where parts[0] == "v0" && parts[3] == "actions":
                guard try core.store.run(parts[2]) != nil else { return error(410, "run state not found") }
                let steps = try core.store.steps(parts[2])
                var text = "{"
                for (i, step) in steps.enumerated() {
                    if i > 0 { text += "," }
                    text += JSON.string(step.id).serialized() + ":" + step.memo
                }
                return raw(200, text + "}")
            default:
                return error(404, "no route for \(request.method) \(request.path)")
            }
        } catch let problem as QueryProblem {
            return error(400, problem.message)
        } catch {
            return self.error(500, "query failed: \(error)")
        }
    }

    var metadata: JSON {
        let now = InngestTime.rfc3339(milliseconds: core.now)
        return ["fetched_at": .string(now), "cached_until": .null]
    }

    func runJSON(_ run: RunRecord) -> JSON {
        var fields: [(key: String, value: JSON)] = [
            ("run_id", .string(run.id)), ("function_id", .string(run.functionID)), ("status", .string(run.status.rawValue)),
            ("event_id", .string(run.eventID)), ("run_started_at", .string(InngestTime.rfc3339(milliseconds: run.startedAt))),
            ("ended_at", run.endedAt.map { .string(InngestTime.rfc3339(milliseconds: $0)) } ?? .null),
            ("output", run.outputText.flatMap { try? JSON(parsing: $0) } ?? .null),
        ]
        if let errorText = run.errorText { fields.append(("error", (try? JSON(parsing: errorText)) ?? .string(errorText))) }
        return .object(JSONObject(fields))
    }

    // MARK: Helpers

    private func authorized(_ request: HTTPRequest) -> Bool {
        guard let authorize else { return true }
        return authorize(request.headers["Authorization"])
    }

    private func unauthorized() -> HTTPResponse { error(401, "Authentication failed") }

    func json(_ status: Int, _ value: JSON) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: value.serializedBytes())
    }

    private func raw(_ status: Int, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: Array(text.utf8))
    }

    func error(_ status: Int, _ message: String) -> HTTPResponse {
        json(status, ["error": .string(message), "status": .number(JSONNumber(status))])
    }
}
