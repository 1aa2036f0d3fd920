#!/usr/bin/env python3
"""Fills an engine database (already migrated) with N finished and running runs.

Usage: fill.py <engine.sqlite> <runs> <function-id>...
Runs are spread over the last 7 days, one event each (a third of them named
bench/other), statuses mixed (70% Completed, 20% Failed, 5% Cancelled, 5%
Running); the newest 1,000 runs get three logged steps each.
"""
import json
import random
import sqlite3
import sys
import time

path, count, functions = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
now = int(time.time() * 1000)
span = 7 * 86_400_000
random.seed(7)
db = sqlite3.connect(path)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=OFF")
statuses = ["Completed"] * 14 + ["Failed"] * 4 + ["Cancelled"] + ["Running"]


def rows():
    for i in range(count):
        started = now - span + (span * i) // count
        run_id = "R%013d%08d" % (started, i)
        event_id = "E%013d%08d" % (started, i)
        name = "bench/other" if i % 3 == 0 else "browser/greet"
        body = json.dumps({"data": {"n": i}, "id": event_id, "name": name, "ts": started, "user": {}}, separators=(",", ":"))
        status = statuses[i % len(statuses)]
        ended = None if status == "Running" else started + random.randint(5, 5000)
        output = '{"ok":true}' if status == "Completed" else None
        error = '{"name":"Error","message":"bench failure"}' if status == "Failed" else None
        yield (event_id, name, body, started), (run_id, functions[i % len(functions)], status, event_id, "[" + body + "]",
                                                  output, error, started, ended), (event_id, run_id)


start = time.time()
with db:
    batch_e, batch_r, batch_l = [], [], []
    for e, r, l in rows():
        batch_e.append(e); batch_r.append(r); batch_l.append(l)
        if len(batch_r) >= 50_000:
            db.executemany("INSERT INTO events (id, name, body, ts, received_at) VALUES (?, ?, ?, ?, ?)",
                           [(a, b, c, d, d) for a, b, c, d in batch_e])
            db.executemany("INSERT INTO runs (id, function_id, status, event_id, events, output, error, started_at, ended_at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", batch_r)
            db.executemany("INSERT INTO run_events (event_id, run_id) VALUES (?, ?)", batch_l)
            batch_e, batch_r, batch_l = [], [], []
    if batch_r:
        db.executemany("INSERT INTO events (id, name, body, ts, received_at) VALUES (?, ?, ?, ?, ?)",
                       [(a, b, c, d, d) for a, b, c, d in batch_e])
        db.executemany("INSERT INTO runs (id, function_id, status, event_id, events, output, error, started_at, ended_at) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", batch_r)
        db.executemany("INSERT INTO run_events (event_id, run_id) VALUES (?, ?)", batch_l)
    newest = db.execute("SELECT id, started_at FROM runs ORDER BY started_at DESC, id DESC LIMIT 1000").fetchall()
    for run_id, started in newest:
        for position, name in enumerate(["load", "transform", "store"]):
            step_id = "s%d" % position
            db.execute("INSERT INTO steps (run_id, step_id, position, memo) VALUES (?, ?, ?, ?)",
                       (run_id, step_id, position, json.dumps({"data": {"step": name}})))
            db.execute("INSERT INTO step_log (run_id, step_id, name, op, started_at, ended_at, attempts) VALUES (?, ?, ?, 'StepRun', ?, ?, 1)",
                       (run_id, step_id, name, started + position, started + position + 1))
db.execute("ANALYZE")
db.close()
print("filled %d runs in %.1f s" % (count, time.time() - start))
