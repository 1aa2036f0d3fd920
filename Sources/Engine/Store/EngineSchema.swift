import SQLite

/// The engine's whole SQLite schema, as an ordered list of migrations.
///
/// Each migration runs once, inside a transaction, and is recorded in
/// `schema_migrations`; append new ones, never edit applied ones. All times
/// are Unix milliseconds; all JSON columns hold compact JSON text exactly as it
/// is sent on the wire, so a call body is assembled without re-encoding.
enum EngineSchema {
    static let migrations: [(version: Int, sql: String)] = [
        (1, """
        -- Synced apps and their functions (config is the registered JSON).
        CREATE TABLE apps (
            id TEXT PRIMARY KEY,
            url TEXT NOT NULL,
            sdk TEXT NOT NULL DEFAULT '',
            checksum TEXT NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE TABLE functions (
            id TEXT PRIMARY KEY,
            app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
            config TEXT NOT NULL,
            updated_at INTEGER NOT NULL
        );

        -- Every accepted event, written before the 200 is sent.
        CREATE TABLE events (
            id TEXT PRIMARY KEY,            -- ULID returned to the sender
            client_id TEXT,                 -- the sender's own id, used for de-duplication
            name TEXT NOT NULL,
            body TEXT NOT NULL,             -- the event as functions see it
            ts INTEGER NOT NULL,
            received_at INTEGER NOT NULL
        );
        CREATE INDEX events_client_id ON events(client_id) WHERE client_id IS NOT NULL;

        -- Function runs. status: Running, Completed, Failed, Cancelled.
        CREATE TABLE runs (
            id TEXT PRIMARY KEY,
            function_id TEXT NOT NULL,
            status TEXT NOT NULL,
            event_id TEXT NOT NULL,
            events TEXT NOT NULL,           -- JSON array of the triggering events
            output TEXT,                    -- JSON result when Completed
            error TEXT,                     -- JSON error when Failed / Cancelled
            version INTEGER NOT NULL DEFAULT -1,
            concurrency TEXT NOT NULL DEFAULT '[]', -- JSON [[key, limit], ...]
            correlation_id TEXT,            -- set when started by step.invoke
            next_position INTEGER NOT NULL DEFAULT 0,
            started_at INTEGER NOT NULL,
            ended_at INTEGER
        );
        CREATE INDEX runs_function ON runs(function_id, started_at);
        CREATE TABLE run_events (
            event_id TEXT NOT NULL,
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            PRIMARY KEY (event_id, run_id)
        ) WITHOUT ROWID;

        -- Memoised step state: what the SDK receives in `steps`.
        CREATE TABLE steps (
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            step_id TEXT NOT NULL,          -- hashed step id
            position INTEGER NOT NULL,      -- completion order, for ctx.stack
            memo TEXT NOT NULL,             -- {"data":...}, {"error":...}, an event, or null
            PRIMARY KEY (run_id, step_id)
        ) WITHOUT ROWID;

        -- Ops reported but not yet finished (planned steps, sleeps, waits,
        -- invokes). The next discovery call is queued when a run has none left.
        CREATE TABLE pending_steps (
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            step_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            PRIMARY KEY (run_id, step_id)
        ) WITHOUT ROWID;

        -- Durable timers and work: SDK calls, sleeps, wait timeouts, cron ticks, debounces.
        CREATE TABLE queue (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,             -- call, sleep, wait_timeout, cron, debounce
            run_id TEXT,
            step_id TEXT,
            attempt INTEGER NOT NULL DEFAULT 0,
            due_at INTEGER NOT NULL,
            payload TEXT
        );
        CREATE INDEX queue_run ON queue(run_id);

        -- Runs waiting for an event: waitForEvent, invoke results, cancelOn.
        CREATE TABLE pauses (
            id TEXT PRIMARY KEY,
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,             -- wait, invoke, cancel
            step_id TEXT,
            event_name TEXT NOT NULL,
            expression TEXT,                -- evaluated with event = trigger, async = candidate
            correlation_id TEXT,            -- invoke: match on data.correlation_id
            trigger_event TEXT NOT NULL,
            expires_at INTEGER,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX pauses_event ON pauses(event_name);
        CREATE INDEX pauses_run ON pauses(run_id);

        -- Flow control bookkeeping.
        CREATE TABLE idempotency_keys (
            function_id TEXT NOT NULL, key TEXT NOT NULL, run_id TEXT NOT NULL, expires_at INTEGER NOT NULL,
            PRIMARY KEY (function_id, key)
        ) WITHOUT ROWID;
        CREATE TABLE rate_cells (       -- GCRA state for throttle and rateLimit
            function_id TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, tat INTEGER NOT NULL,
            PRIMARY KEY (function_id, kind, key)
        ) WITHOUT ROWID;
        CREATE TABLE debounces (
            function_id TEXT NOT NULL, key TEXT NOT NULL, event TEXT NOT NULL,
            first_at INTEGER NOT NULL, due_at INTEGER NOT NULL,
            PRIMARY KEY (function_id, key)
        ) WITHOUT ROWID;
        """),
        (2, runControlTables),
        (3, """
        -- What the console and the listing API read: each step's name, op,
        -- timing and attempts (the memo itself stays in `steps`).
        CREATE TABLE step_log (
            run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            step_id TEXT NOT NULL,
            name TEXT NOT NULL,
            op TEXT NOT NULL,               -- StepRun, StepPlanned, Sleep, WaitForEvent, InvokeFunction, ...
            started_at INTEGER NOT NULL,
            ended_at INTEGER,
            attempts INTEGER NOT NULL DEFAULT 1,
            info TEXT,                      -- JSON: sleep_until, event_name, timeout, function_id
            PRIMARY KEY (run_id, step_id)
        ) WITHOUT ROWID;

        -- Newest-first keyset pages: (started_at, id) and (received_at, id) are the cursors.
        DROP INDEX IF EXISTS runs_function;   -- covered by runs_function_started
        CREATE INDEX runs_started ON runs(started_at, id);
        CREATE INDEX runs_function_started ON runs(function_id, started_at, id);
        CREATE INDEX runs_status_started ON runs(status, started_at, id);
        CREATE INDEX runs_function_status_started ON runs(function_id, status, started_at, id);
        DROP INDEX IF EXISTS events_received;  -- migration 2 indexed received_at alone
        CREATE INDEX events_received_id ON events(received_at, id);
        CREATE INDEX events_name_received ON events(name, received_at, id);
        """),
    ]

    /// Applies every migration newer than the database's current version.
    static func migrate(_ db: SQLiteDatabase, now: Int64) throws {
        try db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)")
        let current = try db.queryOne("SELECT coalesce(max(version), 0) FROM schema_migrations")?.int(0) ?? 0
        for migration in migrations where migration.version > current {
            try db.transaction {
                try db.execute(migration.sql)
                try db.run("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                           [.integer(Int64(migration.version)), .integer(now)])
            }
        }
    }
}
