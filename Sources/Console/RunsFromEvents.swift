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
///
/// Each event's runs are one request, made a few at a time; an event whose
/// runs could not be read is counted, never dropped in silence, so the page
/// can say its list may be incomplete.
struct RunsFromEvents: Sendable {
    /// One page: the matching runs, newest first; the cursor of the next
    /// page of events; and the events whose runs could not be read (with the
    /// last error), which the page reports.
    struct Page {
        var runs: [JSON]
        var cursor: String?
        var unreadEvents = 0
        var lastError: String?
    }

    let api: InngestAPIClient
    /// The worker's app id (nil: functions stay named as the server names them).
    let appID: String?

    /// Events read per page: each costs one more request.
    static let eventsPerPage = 25
    /// Runs requests in flight at once.
    static let parallelReads = 6

    /// The runs of one page of recent events matching `filter`, newest first, and the
    /// cursor of the next page of events.
    func page(_ filter: RunsPage.Filter, fromMilliseconds: Int64?) async throws -> Page {
        let events = try await api.events(cursor: filter.cursor, limit: Self.eventsPerPage)
        var slugs: [String: String] = [:]
        if let appID, let functions = try? await api.appFunctions(appID) {
            for f in functions {
                if let id = f["internal_id"]?.stringValue, let slug = f["id"]?.stringValue { slugs[id] = slug }
            }
        }
        var page = Page(runs: [], cursor: events.items.count < Self.eventsPerPage ? nil : events.cursor)
        // A server that ignores the limit must not multiply the requests one render makes.
        let reads = events.items.prefix(Self.eventsPerPage).compactMap { event -> (id: String, name: String)? in
            guard let id = (event["internal_id"] ?? event["id"])?.stringValue, !id.isEmpty else { return nil }
            return (id, event["name"]?.stringValue ?? "")
        }
        // Index i's runs, or the error that kept them from being read.
        let results = await withTaskGroup(of: (Int, Result<[JSON], any Error>).self) { group -> [Int: Result<[JSON], any Error>] in
            var results: [Int: Result<[JSON], any Error>] = [:]
            var started = 0
            while started < reads.count || !group.isEmpty {
                while started < reads.count, started - results.count < Self.parallelReads {
                    let (index, id) = (started, reads[started].id)
                    group.addTask { [api] in
                        do { return (index, .success(try await api.runs(ofEvent: id))) } catch { return (index, .failure(error)) }
                    }
                    started += 1
                }
                if let (index, result) = await group.next() { results[index] = result }
            }
            return results
        }
        for (index, read) in reads.enumerated() {
            switch results[index] {
            case .success(let runs):
                for run in runs {
                    let row = Self.row(run, eventName: read.name, slugs: slugs)
                    if Self.matches(row, filter, fromMilliseconds: fromMilliseconds) { page.runs.append(row) }
                }
            case .failure(let error):
                page.unreadEvents += 1
                page.lastError = "\(error)"
            case nil:
                break
            }
        }
        page.runs = page.runs.map { ($0, $0["started_at"]?.stringValue.flatMap(UTCTimestamp.milliseconds(rfc3339:)) ?? 0) }
            .sorted { $0.1 > $1.1 }.map(\.0)
        return page
    }

    /// What the page says when some events' runs could not be read.
    static func incompleteNote(_ page: Page) -> String? {
        guard page.unreadEvents > 0 else { return nil }
        let events = page.unreadEvents == 1 ? "1 event" : "\(page.unreadEvents) events"
        return "The runs of \(events) could not be read, so this list may be incomplete"
            + (page.lastError.map { " (\($0.prefix(200)))" } ?? "") + "."
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
