extension EngineSchema {
    /// Migration 2: tables behind batching, singleton, timeouts and priority;
    /// the pause lookup key (`PauseIndex`); indexes that keep pruning and
    /// its cascades from scanning whole tables once a file holds millions of rows.
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

        -- Pauses an event can resume are found by (name, path, value) instead of all by name.
        ALTER TABLE pauses ADD COLUMN match_path TEXT;
        ALTER TABLE pauses ADD COLUMN match_value TEXT;
        CREATE INDEX pauses_match ON pauses(event_name, match_path, match_value);

        -- Pruning: finished runs by end time, a run's event links (the cascade),
        -- runs by triggering event, events by arrival.
        CREATE INDEX runs_ended ON runs(ended_at) WHERE ended_at IS NOT NULL;
        CREATE INDEX run_events_run ON run_events(run_id);
        CREATE INDEX runs_event ON runs(event_id);
        CREATE INDEX events_received ON events(received_at);
        """
}
