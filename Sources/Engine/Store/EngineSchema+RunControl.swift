extension EngineSchema {
    /// Tables behind batching, singleton, timeouts and priority (migration 2).
    static let runControlTables = """
        -- Events collected for a batch, one row per open batch (function, key).
        CREATE TABLE batches (
            function_id TEXT NOT NULL, key TEXT NOT NULL,
            batch_id TEXT NOT NULL,          -- the batch's timer names it, so a stale timer is ignored
            events TEXT NOT NULL,            -- JSON array of the events so far
            count INTEGER NOT NULL, first_at INTEGER NOT NULL,
            PRIMARY KEY (function_id, key)
        ) WITHOUT ROWID;

        -- The run holding each singleton key; the key is free once that run has ended.
        CREATE TABLE singletons (
            function_id TEXT NOT NULL, key TEXT NOT NULL, run_id TEXT NOT NULL,
            PRIMARY KEY (function_id, key)
        ) WITHOUT ROWID;

        -- Per-run scheduling facts kept only for runs that need them: when the
        -- first call began (start/finish timeouts) and the priority factor.
        CREATE TABLE run_control (
            run_id TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
            first_call_at INTEGER,
            priority_ms INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        """
}
