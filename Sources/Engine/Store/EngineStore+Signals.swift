import SQLite

/// Signal pauses (`SignalWaits`) are found by name through the pause lookup
/// index (`pauses_match`): `event_name` is `SignalWaits.pauseEventName`,
/// `match_path` the marker below and `match_value` the signal's name.
extension EngineStore {
    /// Not a JSON path, so the event-side lookup (`PauseIndex.value`) never reads it.
    static let signalMatchPath = "signal"

    /// The pause holding `signal`, if any (expired or not).
    func signalPause(_ signal: String) throws -> PauseRecord? {
        try db.queryOne("""
            SELECT id, run_id, kind, step_id, event_name, expression, correlation_id, trigger_event, expires_at
            FROM pauses WHERE event_name = ? AND match_path = ? AND match_value = ? ORDER BY created_at DESC LIMIT 1
            """, [.text(SignalWaits.pauseEventName), .text(Self.signalMatchPath), .text(signal)]).flatMap(Self.pause)
    }

    /// Lets go of a pause's signal (another wait took it over): the pause stays until its timeout.
    func detachSignal(pauseID: String) throws {
        try db.run("UPDATE pauses SET match_path = NULL, match_value = NULL, correlation_id = NULL WHERE id = ?", [.text(pauseID)])
    }
}
