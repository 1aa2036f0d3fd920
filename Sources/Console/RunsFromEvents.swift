import InngestProtocol
import JSON
import Support

/// The runs list on a server that has none: the open-source Inngest server
/// answers `GET /v1/events` and `GET /v1/events/{id}/runs` but not
/// `GET /v1/runs` (the embedded engine answers all three). The runs page then
/// shows the runs the most recent events started, filtered here, a page of
/// events at a time.
///
/// Such a server names a run's function by its UUID; `GET /v1/apps/{app}/functions`
/// maps those to the slugs the console shows and filters by.
struct RunsFromEvents: Sendable {
    let api: InngestAPIClient
    /// The worker's app id (nil: functions stay named as the server names them).
    let appID: String?

    /// Events read per page: each costs one more request.
    static let eventsPerPage = 25

    /// The runs of one page of recent events matching `filter`, newest first, and the
    /// cursor of the next page of events.
    func page(_ filter: RunsPage.Filter, fromMilliseconds: Int64?) async throws -> (runs: [JSON], cursor: String?) {
        let events = try await api.events(cursor: filter.cursor, limit: Self.eventsPerPage)
        var slugs: [String: String] = [:]
        if let appID, let functions = try? await api.appFunctions(appID) {
            for f in functions {
                if let id = f["internal_id"]?.stringValue, let slug = f["id"]?.stringValue { slugs[id] = slug }
            }
        }
        var runs: [JSON] = []
        for event in events.items {
            guard let eventID = (event["internal_id"] ?? event["id"])?.stringValue, !eventID.isEmpty else { continue }
            for run in (try? await api.runs(ofEvent: eventID)) ?? [] {
                let row = Self.row(run, eventName: event["name"]?.stringValue ?? "", slugs: slugs)
                if Self.matches(row, filter, fromMilliseconds: fromMilliseconds) { runs.append(row) }
            }
        }
        func started(_ run: JSON) -> Int64 { run["started_at"]?.stringValue.flatMap(UTCTimestamp.milliseconds(rfc3339:)) ?? 0 }
        runs.sort { started($0) > started($1) }
        return (runs, events.items.count < Self.eventsPerPage ? nil : events.cursor)
    }

    /// A run of `GET /v1/events/{id}/runs` in the shape the runs page reads.
    static func row(_ run: JSON, eventName: String, slugs: [String: String]) -> JSON {
        let functionID = run["function_id"]?.stringValue ?? ""
        return ["id": run["run_id"] ?? .null, "status": run["status"] ?? .null, "started_at": run["run_started_at"] ?? .null,
                "ended_at": run["ended_at"] ?? .null, "function_id": .string(functionID),
                "function_slug": .string(slugs[functionID] ?? functionID), "event_name": .string(eventName),
                "event_id": run["event_id"] ?? .null]
    }

    static func matches(_ row: JSON, _ filter: RunsPage.Filter, fromMilliseconds: Int64?) -> Bool {
        if let status = filter.status, row["status"]?.stringValue != status { return false }
        if let function = filter.functionID, row["function_slug"]?.stringValue != function { return false }
        if let from = fromMilliseconds {
            guard let started = row["started_at"]?.stringValue.flatMap(UTCTimestamp.milliseconds(rfc3339:)), started >= from else { return false }
        }
        return true
    }
}
