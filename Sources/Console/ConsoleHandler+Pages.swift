import HTTP
import InngestProtocol
import JSON
import Ops
import Support

/// The GET pages: read through the sources, render with the page types.
/// `?fragment=…` answers only the part a page refreshes in place.
extension ConsoleHandler {
    func runsPage(_ c: PageContext) async -> HTTPResponse {
        let filter = RunsPage.Filter(query: c.request.queryValue)
        let now = sources.now()
        let renderer = RunsPage(prefix: prefix, now: now)
        var runs: [JSON] = []
        var next: String?
        var problem: String?
        var incomplete: String?
        do {
            let page = try await sources.api.runs(functionID: filter.functionID, status: filter.status,
                                                  from: filter.fromMilliseconds(now: now).map { UTCTimestamp.rfc3339(milliseconds: $0) },
                                                  cursor: filter.cursor, limit: 50)
            runs = page.items
            next = page.cursor
        } catch InngestAPIError.rejected(404, _) {
            // No runs list on this server (the open-source Inngest server): the runs of recent events.
            do {
                let page = try await RunsFromEvents(api: sources.api, appID: sources.appID)
                    .page(filter, fromMilliseconds: filter.fromMilliseconds(now: now))
                (runs, next, incomplete) = (page.runs, page.cursor, RunsFromEvents.incompleteNote(page))
            } catch {
                problem = "Runs could not be read: \(error)"
            }
        } catch {
            problem = "Runs could not be read: \(error)"
        }
        if c.fragment == "rows" { return problem == nil ? html(200, renderer.rows(runs, note: incomplete)) : html(502, HTML.escape(problem ?? "")) }
        let ids = sources.functions().compactMap { $0["id"]?.stringValue }
        return page(200, renderer.body(runs: runs, next: next, filter: filter, functionIDs: ids, error: problem, note: incomplete),
                    title: "Runs", section: "runs", session: c.session, csrf: c.csrf, flash: c.request.queryValue("flash").flatMap(Self.flashText))
    }

    func runPage(_ c: PageContext, runID: String) async -> HTTPResponse {
        let renderer = RunPage(prefix: prefix, now: sources.now())
        let run: JSON
        do {
            run = try await sources.api.run(runID)
        } catch InngestAPIError.rejected(404, _) {
            return page(404, "<h1>No such run</h1><p><code>\(HTML.escape(runID))</code></p>", section: "runs", session: c.session, csrf: c.csrf)
        } catch {
            return page(502, "<h1>Run</h1><p class=\"error\">\(HTML.escape("The run could not be read: \(error)"))</p>", section: "runs", session: c.session, csrf: c.csrf)
        }
        let trace = try? await sources.api.runTrace(runID)
        var event: JSON?
        if let eventID = run["event_id"]?.stringValue, !eventID.isEmpty { event = try? await sources.api.event(eventID) }
        if c.fragment == "detail" { return html(200, renderer.detail(runID: runID, run: run, trace: trace, event: event, csrf: c.csrf)) }
        return page(200, renderer.body(runID: runID, run: run, trace: trace, event: event, csrf: c.csrf), title: "Run",
                    section: "runs", session: c.session, csrf: c.csrf, flash: c.request.queryValue("flash").flatMap(Self.flashText))
    }

    func functionsPage(_ c: PageContext, sendError: String?, draft: (name: String, data: String)?) async -> HTTPResponse {
        let functions = sources.functions()
        let since = UTCTimestamp.rfc3339(milliseconds: sources.now() - 86_400_000)
        var stats: [String: FunctionsPage.Stats] = [:]
        await withTaskGroup(of: (String, FunctionsPage.Stats?).self) { group in
            for id in functions.compactMap({ $0["id"]?.stringValue }) {
                group.addTask { [api = sources.api] in
                    guard let all = try? await api.runCount(functionID: id, from: since, cap: 10_000),
                          let failed = try? await api.runCount(functionID: id, status: "Failed", from: since, cap: 10_000) else { return (id, nil) }
                    return (id, FunctionsPage.Stats(runs: all.count, runsCapped: all.capped, failed: failed.count))
                }
            }
            for await (id, s) in group { if let s { stats[id] = s } }
        }
        let body = FunctionsPage(prefix: prefix).body(functions: functions, stats: stats, csrf: c.csrf, sendError: sendError, draft: draft)
        return page(sendError == nil ? 200 : 400, body, title: "Functions", section: "functions", session: c.session, csrf: c.csrf,
                    flash: c.request.queryValue("flash").flatMap(Self.flashText))
    }

    func eventsPage(_ c: PageContext) async -> HTTPResponse {
        let name = c.request.queryValue("name").flatMap { $0.isEmpty || $0.utf8.count > 256 ? nil : $0 }
        let cursor = c.request.queryValue("cursor").flatMap { $0.isEmpty || $0.utf8.count > 200 ? nil : $0 }
        let renderer = EventsPage(prefix: prefix)
        var events: [JSON] = []
        var next: String?
        var problem: String?
        do {
            let page = try await sources.api.events(name: name, cursor: cursor, limit: 50)
            events = page.items
            next = page.cursor
        } catch {
            problem = "Events could not be read: \(error)"
        }
        if c.fragment == "rows" { return html(problem == nil ? 200 : 502, problem.map(HTML.escape) ?? renderer.rows(events)) }
        return page(200, renderer.body(events: events, next: next, name: name, firstPage: cursor == nil, error: problem),
                    title: "Events", section: "events", session: c.session, csrf: c.csrf)
    }

    func eventPage(_ c: PageContext, eventID: String) async -> HTTPResponse {
        let renderer = EventsPage(prefix: prefix)
        guard let event = try? await sources.api.event(eventID) else {
            return page(404, "<h1>No such event</h1><p><code>\(HTML.escape(eventID))</code></p>", section: "events", session: c.session, csrf: c.csrf)
        }
        let runs = (try? await sources.api.runs(ofEvent: eventID)) ?? []
        let now = sources.now()
        if c.fragment == "runs" {
            return html(200, RunsPage(prefix: prefix, now: now).rows(runs.map { run in
                var r = run.objectValue ?? JSONObject()
                if r["started_at"] == nil { r["started_at"] = run["run_started_at"] }
                return .object(r)
            }))
        }
        return page(200, renderer.detail(eventID: eventID, event: event, runs: runs, now: now), title: "Event",
                    section: "events", session: c.session, csrf: c.csrf)
    }

    func servicesPage(_ c: PageContext) async -> HTTPResponse {
        let renderer = ServicesPage(prefix: prefix)
        var report: StatusReport?
        var history = HealthHistory()
        var problem: String?
        if let check = sources.checkServices {
            let (r, p, h) = await watch.current(check: check, now: sources.now())
            report = r
            problem = p
            history = h
        } else {
            problem = "No inventory is configured for this worker."
        }
        let metrics = sources.metrics?()
        let detail = renderer.detail(report: report, problem: problem, history: history, metrics: metrics)
        if c.fragment == "detail" { return html(200, detail) }
        return page(200, renderer.body(report: report, problem: problem, history: history, metrics: metrics),
                    title: "Services", section: "services", session: c.session, csrf: c.csrf)
    }

    func loopsPage(_ c: PageContext) -> HTTPResponse {
        var loops: [ConsoleLoop]?
        var problem: String?
        if let source = sources.loops {
            do { loops = try source() } catch { problem = "Loops could not be read: \(error)" }
        }
        return page(200, LoopsPage().body(loops: loops, problem: problem), title: "Loops", section: "loops",
                    session: c.session, csrf: c.csrf)
    }

    /// Flash messages are chosen by code, never echoed from the query.
    static func flashText(_ code: String) -> String? {
        switch code {
        case "sent": return "Event sent. Its runs appear below as they start."
        case "cancelled": return "Run cancelled."
        case "rerun": return "Re-run started."
        default: return nil
        }
    }
}
