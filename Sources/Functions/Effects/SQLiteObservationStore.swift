import Foundation
import JSON
import SQLite

/// Observations in SQLite with an FTS5 index. Near-duplicates are merged:
/// Jaccard similarity ≥ 0.85 over lowercase word tokens of three or more
/// characters (so texts that differ in punctuation or a word merge, not only
/// identical ones).
public struct SQLiteObservationStore: ObservationStore {
    let database: FunctionsDatabase
    let mergeThreshold: Double

    public init(database: FunctionsDatabase, mergeThreshold: Double = 0.85) {
        self.database = database
        self.mergeThreshold = mergeThreshold
    }

    public func store(_ items: [ObservationItem], sessionId: String, source: String, batchKey: String, now: Date) throws -> ObservationStoreResult {
        let db = database.sqlite
        return try db.transaction {
            if let previous = try db.queryOne("SELECT result FROM observation_batches WHERE batch_key = ?", [.text(batchKey)])?.string(0),
               let json = try? JSON(parsing: previous), let result = ObservationStoreResult(json: json) {
                return result
            }
            var result = ObservationStoreResult(stored: true, count: 0, mergedCount: 0, allowCount: 0, holdCount: 0,
                                                discardCount: 0, fallbackCount: 0, ids: [])
            let updatedAt = TimeFormat.iso8601(now)
            for item in items {
                let gate = item.gate
                switch gate.verdict {
                case .allow: result.allowCount += 1
                case .hold: result.holdCount += 1
                case .discard: result.discardCount += 1
                }
                if gate.fallback { result.fallbackCount += 1 }
                let gateValues: [SQLiteValue] = [.text(gate.verdict.rawValue), .real(gate.confidence), .text(gate.reason),
                                                 .integer(gate.fallback ? 1 : 0), .text(gate.category), .real(gate.categoryConfidence),
                                                 .text(gate.categorySource)]
                if let existing = try mostSimilar(to: gate.text) {
                    try db.run("""
                        UPDATE observations SET observation = ?, merged_count = merged_count + 1, updated_at = ?,
                            write_verdict = ?, write_confidence = ?, write_reason = ?, write_gate_fallback = ?,
                            category_id = ?, category_confidence = ?, category_source = ?
                        WHERE id = ?
                        """, [.text(gate.text), .text(updatedAt)] + gateValues + [.text(existing)])
                    result.mergedCount += 1
                    result.ids.append(existing)
                } else {
                    let id = UUID().uuidString.lowercased()
                    try db.run("""
                        INSERT INTO observations(id, session_id, observation, observation_type, source, timestamp, merged_count,
                            updated_at, write_verdict, write_confidence, write_reason, write_gate_fallback, category_id,
                            category_confidence, category_source)
                        VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, [.text(id), .text(sessionId), .text(gate.text), .text(item.type), .text(source),
                              .integer(Int64(now.timeIntervalSince1970)), .text(updatedAt)] + gateValues)
                    result.ids.append(id)
                }
                result.count += 1
            }
            try db.run("INSERT INTO observation_batches(batch_key, result, stored_at) VALUES (?, ?, ?)",
                       [.text(batchKey), .text(result.json.serialized()), .text(updatedAt)])
            return result
        }
    }

    public func search(_ query: String, limit: Int, includeWithheld: Bool) throws -> [StoredObservation] {
        guard let match = Self.ftsQuery(query) else { return [] }
        let filter = includeWithheld ? "" : "AND o.write_verdict = 'allow'"
        return try database.sqlite.query("""
            SELECT o.id, o.session_id, o.observation, o.observation_type, o.write_verdict, o.category_id, o.merged_count, o.timestamp
            FROM observations_fts f JOIN observations o ON o.rowid = f.rowid
            WHERE observations_fts MATCH ? \(filter)
            ORDER BY bm25(observations_fts) LIMIT ?
            """, [.text(match), .integer(Int64(limit))]).map { row in
            StoredObservation(id: row.string(0) ?? "", sessionId: row.string(1) ?? "", observation: row.string(2) ?? "",
                              type: row.string(3) ?? "", verdict: row.string(4) ?? "", category: row.string(5) ?? "",
                              mergedCount: row.int(6) ?? 1, timestamp: row.int64(7) ?? 0)
        }
    }

    /// The id of a stored observation similar enough to merge with, if any.
    private func mostSimilar(to text: String) throws -> String? {
        guard let match = Self.ftsQuery(text) else { return nil }
        let tokens = Self.tokens(text)
        let candidates = try database.sqlite.query("""
            SELECT o.id, o.observation FROM observations_fts f JOIN observations o ON o.rowid = f.rowid
            WHERE observations_fts MATCH ? ORDER BY bm25(observations_fts) LIMIT 20
            """, [.text(match)])
        return candidates.first { Self.jaccard(tokens, Self.tokens($0.string(1) ?? "")) >= mergeThreshold }?.string(0)
    }

    /// Lowercase word tokens of at least three characters.
    static func tokens(_ text: String) -> Set<String> {
        Set(text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init).filter { $0.count >= 3 })
    }

    static func jaccard(_ a: Set<String>, _ b: Set<String>) -> Double {
        if a.isEmpty && b.isEmpty { return 1 }
        return Double(a.intersection(b).count) / Double(a.union(b).count)
    }

    /// An FTS5 query matching any of the text's words, each quoted so no
    /// user text is ever parsed as FTS syntax.
    static func ftsQuery(_ text: String) -> String? {
        let words = text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init).filter { $0.count >= 2 }
        guard !words.isEmpty else { return nil }
        var seen = Set<String>()
        return words.filter { seen.insert($0).inserted }.prefix(32).map { "\"\($0)\"" }.joined(separator: " OR ")
    }
}
