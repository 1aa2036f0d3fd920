import Foundation
import SQLite

/// The functions' own SQLite file: observations (with an FTS5 index),
/// observe dedupe locks, the last known health of each checked component, and
/// the agent loop's state.
/// One SQLite file instead of a Redis and a search server. The schema
/// lives here, versioned with `PRAGMA user_version`.
///
/// What it promises: every commit survives a crash or `kill -9` of the worker
/// (WAL with `synchronous=NORMAL`), but not power loss or a kernel panic,
/// which may take the last commits (no fsync per commit, no `fullfsync`).
/// That is the price of cheap writes and acceptable for what is kept here:
/// each step that writes it is recorded by the engine only after the write,
/// so a lost commit means the step runs again (an observation re-merged, a
/// dedupe lock retaken, a health change reported once more), never a run that
/// believes in data that is gone. The engine's own store is the durable one
/// (see `SQLiteDatabase.Synchronous`).
public final class FunctionsDatabase: Sendable {
    public let sqlite: SQLiteDatabase

    public init(path: String) throws {
        if path != ":memory:" {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
        }
        var options = SQLiteDatabase.Options()
        options.synchronous = .normal
        sqlite = try SQLiteDatabase(path: path, options: options)
        try migrate()
    }

    static let migrations: [String] = [
        """
        CREATE TABLE observations (
            rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            session_id TEXT NOT NULL,
            observation TEXT NOT NULL,
            observation_type TEXT NOT NULL,
            source TEXT NOT NULL,
            timestamp INTEGER NOT NULL,
            merged_count INTEGER NOT NULL DEFAULT 1,
            updated_at TEXT NOT NULL,
            write_verdict TEXT NOT NULL,
            write_confidence REAL NOT NULL,
            write_reason TEXT NOT NULL,
            write_gate_fallback INTEGER NOT NULL,
            category_id TEXT NOT NULL,
            category_confidence REAL NOT NULL,
            category_source TEXT NOT NULL
        );
        CREATE VIRTUAL TABLE observations_fts USING fts5(observation, content='observations', content_rowid='rowid');
        CREATE TRIGGER observations_ai AFTER INSERT ON observations BEGIN
            INSERT INTO observations_fts(rowid, observation) VALUES (new.rowid, new.observation);
        END;
        CREATE TRIGGER observations_au AFTER UPDATE OF observation ON observations BEGIN
            INSERT INTO observations_fts(observations_fts, rowid, observation) VALUES ('delete', old.rowid, old.observation);
            INSERT INTO observations_fts(rowid, observation) VALUES (new.rowid, new.observation);
        END;
        CREATE TRIGGER observations_ad AFTER DELETE ON observations BEGIN
            INSERT INTO observations_fts(observations_fts, rowid, observation) VALUES ('delete', old.rowid, old.observation);
        END;
        CREATE TABLE observation_batches (batch_key TEXT PRIMARY KEY, result TEXT NOT NULL, stored_at TEXT NOT NULL);
        CREATE TABLE dedupe_locks (key TEXT PRIMARY KEY, owner TEXT NOT NULL, acquired_at REAL NOT NULL, expires_at REAL NOT NULL);
        CREATE TABLE health_state (component TEXT PRIMARY KEY, ok INTEGER NOT NULL, detail TEXT NOT NULL, changed_at TEXT NOT NULL);
        """,
        // The agent loop's state (see LoopStateStore and docs/agent-loop.md).
        """
        CREATE TABLE agent_loops (loop_id TEXT PRIMARY KEY, project_key TEXT NOT NULL, settings TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '', status TEXT NOT NULL, reason TEXT, summary TEXT,
            created_at REAL NOT NULL, updated_at REAL NOT NULL, expires_at REAL NOT NULL);
        CREATE INDEX agent_loops_created ON agent_loops(created_at);
        CREATE TABLE agent_loop_stories (loop_id TEXT NOT NULL, story_id TEXT NOT NULL, position INTEGER NOT NULL,
            story TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, tool TEXT, last_result TEXT,
            PRIMARY KEY (loop_id, story_id));
        CREATE TABLE agent_loop_claims (loop_id TEXT NOT NULL, story_id TEXT NOT NULL, token TEXT NOT NULL,
            expires_at REAL NOT NULL, PRIMARY KEY (loop_id, story_id));
        CREATE TABLE agent_loop_progress (id INTEGER PRIMARY KEY, loop_id TEXT NOT NULL, at REAL NOT NULL, text TEXT NOT NULL);
        CREATE INDEX agent_loop_progress_loop ON agent_loop_progress(loop_id, id);
        CREATE TABLE agent_loop_recommendations (project_key TEXT PRIMARY KEY, recommendations TEXT, patterns TEXT,
            updated_at REAL NOT NULL);
        CREATE TABLE agent_loop_lessons (id INTEGER PRIMARY KEY, project_key TEXT NOT NULL, at REAL NOT NULL, text TEXT NOT NULL);
        """,
    ]

    private func migrate() throws {
        try sqlite.transaction {
            let version = try sqlite.queryOne("PRAGMA user_version")?.int(0) ?? 0
            for (index, sql) in Self.migrations.enumerated() where index >= version {
                try sqlite.execute(sql)
                try sqlite.execute("PRAGMA user_version = \(index + 1)")
            }
        }
    }

    /// Takes `key` for `seconds` unless someone else holds it (a lease, like
    /// Redis's `SET key 1 EX seconds NX`). Returns whether `owner` holds it now; the
    /// same owner asking again (a retried step) is told yes.
    public func acquireLock(_ key: String, owner: String, seconds: Double, now: Date) throws -> Bool {
        try sqlite.transaction {
            let t = now.timeIntervalSince1970
            try sqlite.run("DELETE FROM dedupe_locks WHERE key = ? AND expires_at <= ?", [.text(key), .real(t)])
            try sqlite.run("INSERT OR IGNORE INTO dedupe_locks(key, owner, acquired_at, expires_at) VALUES (?, ?, ?, ?)",
                           [.text(key), .text(owner), .real(t), .real(t + seconds)])
            return try sqlite.queryOne("SELECT owner FROM dedupe_locks WHERE key = ?", [.text(key)])?.string(0) == owner
        }
    }

    /// The last recorded health of every component.
    public func healthStates() throws -> [String: (ok: Bool, detail: String)] {
        var states: [String: (ok: Bool, detail: String)] = [:]
        for row in try sqlite.query("SELECT component, ok, detail FROM health_state") {
            states[row.string(0) ?? ""] = (row.int(1) == 1, row.string(2) ?? "")
        }
        return states
    }

    /// Records the current health of each component and returns those whose
    /// state changed (`ok == false`: newly failing; `true`: recovered). A
    /// component seen for the first time counts as changed only when failing.
    public func recordHealth(_ current: [(component: String, ok: Bool, detail: String)], now: Date) throws -> [(component: String, ok: Bool, detail: String)] {
        try sqlite.transaction {
            let previous = try healthStates()
            var changed: [(component: String, ok: Bool, detail: String)] = []
            for entry in current {
                let before = previous[entry.component]
                if (before == nil && !entry.ok) || (before != nil && before!.ok != entry.ok) { changed.append(entry) }
                try sqlite.run("""
                    INSERT INTO health_state(component, ok, detail, changed_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT(component) DO UPDATE SET ok = excluded.ok, detail = excluded.detail,
                        changed_at = CASE WHEN health_state.ok = excluded.ok THEN health_state.changed_at ELSE excluded.changed_at END
                    """, [.text(entry.component), .integer(entry.ok ? 1 : 0), .text(entry.detail), .text(TimeFormat.iso8601(now))])
            }
            return changed
        }
    }
}
