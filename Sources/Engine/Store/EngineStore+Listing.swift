import JSON
import SQLite

/// Newest-first pages of events and runs, for the listing API and the console.
///
/// Every page is a keyset page: ordered by (time, id) descending, resumed
/// after the last row of the previous page, and read through an index that
/// starts with the filter's columns, so a page costs the same with a thousand
/// or a million rows. Nothing here counts a whole table.
extension EngineStore {
    /// Where a page resumes: the last row's time and id.
    struct PageCursor: Equatable, Sendable {
        var time: Int64
        var id: String

        /// `"<time>.<id>"`; nil for anything else (a cursor comes from outside).
        init?(_ text: String) {
            guard let dot = text.firstIndex(of: "."), let time = Int64(text[..<dot]), time >= 0 else { return nil }
            let id = String(text[text.index(after: dot)...])
            guard !id.isEmpty, id.utf8.count <= 64, id.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) else { return nil }
            self.time = time
            self.id = id
        }

        init(time: Int64, id: String) {
            self.time = time
            self.id = id
        }

        var text: String { "\(time).\(id)" }
    }

    struct EventRow: Sendable {
        let id: String
        let name: String
        let body: String
        let receivedAt: Int64
    }

    struct RunFilter: Sendable {
        var functionID: String?
        var statuses: [RunRecord.Status] = []
        var from: Int64?
        var until: Int64?
        var cursor: PageCursor?
        var limit = 20
    }

    /// A page of events, newest first; `name` matches exactly.
    func events(name: String?, after: Int64?, before: Int64?, cursor: PageCursor?, limit: Int) throws -> [EventRow] {
        var conditions: [String] = []
        var parameters: [SQLiteValue] = []
        if let name { conditions.append("name = ?"); parameters.append(.text(name)) }
        if let after { conditions.append("received_at >= ?"); parameters.append(.integer(after)) }
        if let before { conditions.append("received_at < ?"); parameters.append(.integer(before)) }
        if let cursor {
            conditions.append("(received_at, id) < (?, ?)")
            parameters += [.integer(cursor.time), .text(cursor.id)]
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        parameters.append(.integer(Int64(limit)))
        return try db.query("""
            SELECT id, name, body, received_at FROM events \(whereClause)
            ORDER BY received_at DESC, id DESC LIMIT ?
            """, parameters).map {
            EventRow(id: $0.string(0) ?? "", name: $0.string(1) ?? "", body: $0.string(2) ?? "{}", receivedAt: $0.int64(3) ?? 0)
        }
    }

    /// A page of runs, newest first, with their first event's name.
    func runs(_ filter: RunFilter) throws -> [(run: RunRecord, eventName: String?)] {
        let (whereClause, parameters) = Self.conditions(filter)
        return try db.query("""
            SELECT r.id, r.function_id, r.status, r.event_id, '[]', r.output, r.error, r.version, '[]',
                   r.correlation_id, r.started_at, r.ended_at, (SELECT name FROM events e WHERE e.id = r.event_id)
            FROM runs r \(whereClause) ORDER BY r.started_at DESC, r.id DESC LIMIT ?
            """, parameters + [.integer(Int64(filter.limit))]).map { (Self.runRecord($0), $0.string(12)) }
    }

    /// How many runs match, counting at most `cap` (the count stops there, so
    /// the cost is bounded whatever the table holds).
    func countRuns(_ filter: RunFilter, cap: Int) throws -> Int {
        let (whereClause, parameters) = Self.conditions(filter)
        return try db.queryOne("SELECT count(*) FROM (SELECT 1 FROM runs r \(whereClause) LIMIT ?)",
                               parameters + [.integer(Int64(cap))])?.int(0) ?? 0
    }

    private static func conditions(_ filter: RunFilter) -> (String, [SQLiteValue]) {
        var conditions: [String] = []
        var parameters: [SQLiteValue] = []
        if let function = filter.functionID { conditions.append("r.function_id = ?"); parameters.append(.text(function)) }
        if !filter.statuses.isEmpty {
            conditions.append("r.status IN (" + filter.statuses.map { _ in "?" }.joined(separator: ",") + ")")
            parameters += filter.statuses.map { .text($0.rawValue) }
        }
        if let from = filter.from { conditions.append("r.started_at >= ?"); parameters.append(.integer(from)) }
        if let until = filter.until { conditions.append("r.started_at < ?"); parameters.append(.integer(until)) }
        if let cursor = filter.cursor {
            conditions.append("(r.started_at, r.id) < (?, ?)")
            parameters += [.integer(cursor.time), .text(cursor.id)]
        }
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), parameters)
    }
}
