import Foundation
import SQLite

/// Writes copies of the newest finished run straight into an engine file:
/// its triggering event, run row, event link, memoised steps and
/// `inngest/function.finished` event, each with fresh ids (`E`/`R`/`F` +
/// `tag` + a counter). The copies are the size and shape of real rows, so the
/// file behaves as after that many real runs.
struct RunCloner {
    let path: String

    /// Returns the seconds the copy took.
    func clone(count: Int, tag: String) throws -> Double {
        let db = try SQLiteDatabase(path: path)
        guard let template = try db.queryOne("SELECT id, event_id FROM runs WHERE status = 'Completed' ORDER BY started_at DESC LIMIT 1"),
              let runID = template.string(0), let eventID = template.string(1) else { throw BenchError("no finished run to copy") }
        let start = Date()
        try db.execute("DROP TABLE IF EXISTS temp.tpl_event; DROP TABLE IF EXISTS temp.tpl_finish; DROP TABLE IF EXISTS temp.tpl_run; DROP TABLE IF EXISTS temp.tpl_steps")
        _ = try db.run("CREATE TEMP TABLE tpl_event AS SELECT * FROM events WHERE id = ?", [.text(eventID)])
        _ = try db.run("CREATE TEMP TABLE tpl_finish AS SELECT * FROM events WHERE name = 'inngest/function.finished' AND body LIKE ? LIMIT 1",
                       [.text("%\(runID)%")])
        _ = try db.run("CREATE TEMP TABLE tpl_run AS SELECT * FROM runs WHERE id = ?", [.text(runID)])
        _ = try db.run("CREATE TEMP TABLE tpl_steps AS SELECT * FROM steps WHERE run_id = ?", [.text(runID)])
        let series = "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < \(count))"
        func id(_ letter: String) -> String { "'\(letter)\(tag)' || printf('%024d', n)" }
        try db.transaction {
            _ = try db.run("""
                \(series) INSERT INTO events (id, client_id, name, body, ts, received_at)
                SELECT \(id("E")), NULL, name, body, ts, received_at FROM c, tpl_event
                """)
            _ = try db.run("""
                \(series) INSERT INTO events (id, client_id, name, body, ts, received_at)
                SELECT \(id("F")), NULL, name, body, ts, received_at FROM c, tpl_finish
                """)
            _ = try db.run("""
                \(series) INSERT INTO runs (id, function_id, status, event_id, events, output, error, version, concurrency,
                                            correlation_id, next_position, started_at, ended_at)
                SELECT \(id("R")), function_id, status, \(id("E")), events, output, error, version, concurrency,
                       correlation_id, next_position, started_at, ended_at FROM c, tpl_run
                """)
            _ = try db.run("\(series) INSERT INTO run_events (event_id, run_id) SELECT \(id("E")), \(id("R")) FROM c")
            _ = try db.run("\(series) INSERT INTO steps (run_id, step_id, position, memo) SELECT \(id("R")), step_id, position, memo FROM c, tpl_steps")
        }
        return Date().timeIntervalSince(start)
    }
}
