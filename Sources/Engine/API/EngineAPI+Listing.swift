import HTTP
import InngestProtocol
import JSON
import Support

/// The read side a console needs: recent events, pages of runs, bounded
/// counts, a run's steps as a trace, and re-running a finished run.
///
///     GET  /v1/events                 ?name= &received_after= &received_before= &cursor= &limit= (≤ 100)
///     GET  /v1/runs                   ?function_id= &status= (repeatable) &from= &until= &cursor= &first= (≤ 400)
///     GET  /v1/runs/counts            the same filters, counted up to ?cap= (≤ 100000)
///     GET  /v1/runs/{id}/trace        the run as a root span with one child per step
///     POST /v1/runs/{id}/rerun        a new run of the same function with the same events
///     GET  /v1/apps/{app}/functions   the app's synced functions (a bare array, as the server answers)
///
/// Shapes follow the Inngest REST API where it has the endpoint; the
/// differences and the engine's own endpoints are listed in docs/engine.md.
/// Every query value comes from outside: a bad one is a 400, never a guess.
extension EngineAPI {
    static let maxEventsPage = 100
    static let maxRunsPage = 400
    static let maxCountCap = 100_000

    struct QueryProblem: Error { let message: String }

    func listEvents(_ request: HTTPRequest) throws -> HTTPResponse {
        let q = ListingQuery(request)
        let limit = try q.integer("limit", default: 20, in: 1...Self.maxEventsPage)
        let rows = try core.store.events(name: q.text("name"), after: try q.time("received_after"),
                                         before: try q.time("received_before"), cursor: try q.cursor(), limit: limit + 1)
        var list: [JSON] = []
        for row in rows.prefix(limit) {
            var event = (try? JSON(parsing: row.body))?.objectValue ?? JSONObject()
            event["internal_id"] = .string(row.id)
            event["received_at"] = .string(InngestTime.rfc3339(milliseconds: row.receivedAt))
            list.append(.object(event))
        }
        var reply = JSONObject([("data", .array(list)), ("metadata", metadata)])
        if rows.count > limit, let last = rows.prefix(limit).last {
            reply["cursor"] = .string(EngineStore.PageCursor(time: last.receivedAt, id: last.id).text)
        }
        return json(200, .object(reply))
    }

    /// The server's shape is kept (`id` is the slug, `config` the synced configuration),
    /// with the engine's function id standing in for the server's internal UUID. An app the
    /// engine does not know has no functions, as on the server.
    func appFunctions(_ appID: String) throws -> HTTPResponse {
        let rows = try core.store.functions(ofApp: appID)
        return json(200, .array(rows.map { row in
            let config = (try? JSON(parsing: row.config)) ?? .null
            let synced = JSON.string(InngestTime.rfc3339(milliseconds: row.updatedAt))
            return ["internal_id": .string(row.id), "app_id": .string(appID), "id": .string(row.id),
                    "name": config["name"] ?? .string(row.id), "config": config, "created_at": synced, "archived_at": .null]
        }))
    }

    func listRuns(_ request: HTTPRequest) throws -> HTTPResponse {
        let q = ListingQuery(request)
        var filter = try runFilter(q)
        let limit = try q.integer("first", default: try q.integer("limit", default: 20, in: 1...Self.maxRunsPage),
                                  in: 1...Self.maxRunsPage)
        filter.limit = limit + 1
        let rows = try core.store.runs(filter)
        var reply = JSONObject([("runs", .array(rows.prefix(limit).map { listedRunJSON($0.run, eventName: $0.eventName) })),
                                ("has_more", .bool(rows.count > limit))])
        if rows.count > limit, let last = rows.prefix(limit).last {
            reply["cursor"] = .string(EngineStore.PageCursor(time: last.run.startedAt, id: last.run.id).text)
        }
        return json(200, .object(reply))
    }

    func countRuns(_ request: HTTPRequest) throws -> HTTPResponse {
        let q = ListingQuery(request)
        let cap = try q.integer("cap", default: 10_000, in: 1...Self.maxCountCap)
        let count = try core.store.countRuns(try runFilter(q), cap: cap)
        return json(200, ["count": .number(JSONNumber(count)), "capped": .bool(count >= cap)])
    }

    func rerun(_ runID: String) async throws -> HTTPResponse {
        let (result, effects) = try await core.rerun(runID: runID)
        executor.apply(effects)
        switch result {
        case .success(let id): return json(200, ["data": ["run_id": .string(id), "original_run_id": .string(runID)]])
        case .failure(.unknownRun): return error(404, "run not found")
        case .failure(.stillRunning): return error(409, "the run is still running; cancel it first")
        case .failure(.functionGone): return error(409, "the run's function is no longer registered")
        case .failure(.singletonRunning): return error(409, "a run of this singleton function is running; the re-run was not started")
        }
    }

    private func runFilter(_ q: ListingQuery) throws -> EngineStore.RunFilter {
        var filter = EngineStore.RunFilter()
        filter.functionID = q.text("function_id")
        for value in q.all("status") where !value.isEmpty {
            guard let status = RunRecord.Status.allCases.first(where: { $0.rawValue.lowercased() == value.lowercased() }) else {
                throw QueryProblem(message: "status must be one of Running, Completed, Failed, Cancelled")
            }
            filter.statuses.append(status)
        }
        filter.from = try q.time("from")
        filter.until = try q.time("until")
        filter.cursor = try q.cursor()
        return filter
    }

    /// A run as the run list shows it (the Inngest list's fields, plus `run_id`, `event_id` and `error`).
    func listedRunJSON(_ run: RunRecord, eventName: String?) -> JSON {
        let started = JSON.string(InngestTime.rfc3339(milliseconds: run.startedAt))
        var fields: [(key: String, value: JSON)] = [
            ("id", .string(run.id)), ("run_id", .string(run.id)), ("status", .string(run.status.rawValue)),
            ("queued_at", started), ("started_at", started),
            ("ended_at", run.endedAt.map { .string(InngestTime.rfc3339(milliseconds: $0)) } ?? .null),
            ("function_id", .string(run.functionID)), ("function_slug", .string(run.functionID)),
            ("app_id", .string(core.registry.function(run.functionID)?.appID ?? "")),
            ("event_id", .string(run.eventID)), ("event_name", eventName.map { .string($0) } ?? .null),
            ("output", run.outputText.flatMap { try? JSON(parsing: $0) } ?? .null),
        ]
        if let errorText = run.errorText { fields.append(("error", (try? JSON(parsing: errorText)) ?? .string(errorText))) }
        return .object(JSONObject(fields))
    }
}

/// Query values of one listing request, checked as they are read.
struct ListingQuery {
    let request: HTTPRequest

    init(_ request: HTTPRequest) { self.request = request }

    func text(_ name: String) -> String? {
        guard let value = request.queryValue(name), !value.isEmpty else { return nil }
        return value
    }

    func all(_ name: String) -> [String] { request.query.filter { $0.name == name }.map(\.value) }

    func integer(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = text(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw EngineAPI.QueryProblem(message: "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// RFC 3339, or Unix milliseconds.
    func time(_ name: String) throws -> Int64? {
        guard let text = text(name) else { return nil }
        if let ms = Int64(text), ms >= 0, ms < 253_402_300_800_000 { return ms }
        if let ms = UTCTimestamp.milliseconds(rfc3339: text) { return ms }
        throw EngineAPI.QueryProblem(message: "\(name) must be an RFC 3339 time or Unix milliseconds")
    }

    func cursor() throws -> EngineStore.PageCursor? {
        guard let text = text("cursor") else { return nil }
        guard let cursor = EngineStore.PageCursor(text) else {
            throw EngineAPI.QueryProblem(message: "invalid cursor (pass back the cursor of the previous page)")
        }
        return cursor
    }
}
