import Foundation
import SQLite

/// The functions' own SQLite file: observations (with an FTS5 index),
/// observe dedupe locks, and the last known health of each checked component.
/// This is the state the original kept in Redis and Typesense. The schema
/// lives here, versioned with `PRAGMA user_version`.
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
        CREATE TABLE dedupe_locks (key TEXT PRIMARY KEY, acquired_at REAL NOT NULL, expires_at REAL NOT NULL);
        CREATE TABLE health_state (component TEXT PRIMARY KEY, ok INTEGER NOT NULL, detail TEXT NOT NULL, changed_at TEXT NOT NULL);
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

    /// Takes `key` for `seconds` unless someone holds it (the original's
    /// `SET key 1 EX seconds NX`). Returns whether this caller got it.
    public func acquireLock(_ key: String, seconds: Double, now: Date) throws -> Bool {
        try sqlite.transaction {
            let t = now.timeIntervalSince1970
            try sqlite.run("DELETE FROM dedupe_locks WHERE key = ? AND expires_at <= ?", [.text(key), .real(t)])
            return try sqlite.run("INSERT OR IGNORE INTO dedupe_locks(key, acquired_at, expires_at) VALUES (?, ?, ?)",
                                  [.text(key), .real(t), .real(t + seconds)]) == 1
        }
    }
}
