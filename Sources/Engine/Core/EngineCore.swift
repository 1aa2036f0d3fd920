import Support
import Foundation
import JSON

/// The engine's state machine, as one object the executor, the API and
/// `EmbeddedEngine` call: events in, runs created, call outcomes recorded,
/// timers fired, apps synced.
///
/// Each responsibility lives in its own type; this one wires them together
/// and wraps each entry point in one SQLite write transaction. Every entry
/// point returns the effects (new queue items, finished runs) for the
/// scheduler to act on after commit. No network I/O happens here: the
/// executor makes worker calls and feeds their outcome back through
/// `applyCallOutcome`. docs/engine.md describes the data model and the run
/// state machine.
final class EngineCore: Sendable {
    /// Events, runs, steps, finishing (and the flow control and pause matching they use).
    let runs: RunLifecycle
    /// What a worker call returned, applied to its run.
    let calls: CallOutcomeRecorder
    /// Sleep ends, timeouts, cron ticks, debounce ends.
    let timers: EngineTimers
    /// App registration and start-up loading.
    let sync: FunctionSync
    /// `waitForSignal` pauses and the signals that end them.
    let signals: SignalWaits
    /// Steps a worker saves during a call (async checkpointing).
    let checkpoints: AsyncCheckpoints

    init(store: EngineStore, registry: FunctionRegistry, clock: any EngineClock, ids: any IDGenerator, settings: EngineSettings) {
        runs = RunLifecycle(store: store, registry: registry, clock: clock, ids: ids, settings: settings,
                            admission: RunAdmission(store: store, settings: settings), pauses: PauseMatcher())
        signals = SignalWaits(store: store, ids: ids, runs: runs)
        checkpoints = AsyncCheckpoints(store: store, runs: runs)
        calls = CallOutcomeRecorder(store: store, registry: registry, ids: ids, runs: runs,
                                    retries: RetryPolicy(settings: settings), signals: signals)
        timers = EngineTimers(store: store, registry: registry, ids: ids, runs: runs)
        sync = FunctionSync(store: store, registry: registry, clock: clock, timers: timers)
    }

    // The shared parts, as the executor and the API read them.
    var store: EngineStore { runs.store }
    var registry: FunctionRegistry { runs.registry }
    var ids: any IDGenerator { runs.ids }
    var settings: EngineSettings { runs.settings }
    var now: Int64 { runs.now }

    /// Stores validated events and everything they cause, atomically; returns their ids.
    func acceptEvents(_ events: [IncomingEvent]) async throws -> (ids: [String], effects: EngineEffects) {
        try await store.write { [runs] in
            var effects = EngineEffects()
            let ids = try events.map { try runs.ingest($0, effects: &effects) }
            return (ids, effects)
        }
    }

    /// Validates and stores an app sync (`POST /fn/register`).
    func register(_ payload: JSON) async throws -> FunctionSync.Registration {
        try await sync.register(payload)
    }

    /// Loads the stored functions into the registry at start-up.
    func loadFunctions(log: Logger) throws {
        try sync.loadFunctions(log: log)
    }

    /// Records what a worker call returned, in one transaction.
    func applyCallOutcome(_ item: QueueItem, _ result: CallResult) async throws -> EngineEffects {
        try await store.write { [calls] in try calls.record(item, result) }
    }

    /// Marks a run of a function with timeouts as started before its call;
    /// false when its start timeout had already passed (the run is cancelled).
    func beginCall(_ run: RunRecord, _ function: FunctionDefinition) async throws -> (Bool, EngineEffects) {
        try await store.write { [runs] in
            var effects = EngineEffects()
            let proceed = try runs.beginCall(run, function, effects: &effects)
            return (proceed, effects)
        }
    }

    /// Fires a due timer item in one transaction.
    func fireTimer(_ item: QueueItem) async throws -> EngineEffects {
        try await store.write { [timers] in try timers.fire(item) }
    }

    /// Public cancellation (API): false when the run is unknown or already finished.
    func cancel(runID: String) async throws -> (Bool, EngineEffects) {
        try await store.write { [runs] in
            var effects = EngineEffects()
            let cancelled = try runs.cancelRun(runID, effects: &effects)
            return (cancelled, effects)
        }
    }

    /// Ends the wait for `signal` (`POST /v1/signals`); returns the resumed run's id, nil when none waits.
    func sendSignal(_ signal: String, data: JSON) async throws -> (String?, EngineEffects) {
        try await store.write { [signals] in
            var effects = EngineEffects()
            let runID = try signals.resume(signal: signal, data: data, &effects)
            return (runID, effects)
        }
    }

    /// Applies an async checkpoint (`POST /v1/checkpoint/{runId}/async`) in one transaction.
    func checkpoint(runID: String, functionID: String, queueItem: String, steps: [JSON]) async throws -> AsyncCheckpoints.Outcome {
        try await store.write { [checkpoints] in
            try checkpoints.record(runID: runID, functionID: functionID, queueItem: queueItem, steps: steps)
        }
    }

    /// Why a re-run was refused.
    enum RerunRefusal: Error { case unknownRun, stillRunning, functionGone, singletonRunning }

    /// Starts a new run of a finished run's function with the same events
    /// (the API's re-run). Flow control is skipped: a person asked for this
    /// run explicitly. Returns the new run's id.
    func rerun(runID: String) async throws -> (Result<String, RerunRefusal>, EngineEffects) {
        try await store.write { [runs] in
            var effects = EngineEffects()
            guard let run = try runs.store.run(runID) else { return (.failure(.unknownRun), effects) }
            guard run.status.isTerminal else { return (.failure(.stillRunning), effects) }
            guard let function = runs.registry.function(run.functionID) else { return (.failure(.functionGone), effects) }
            let events = (try? JSON(parsing: run.eventsText))?.arrayValue ?? []
            guard let id = try runs.createRun(function, events: events, startAt: runs.now, effects: &effects) else {
                return (.failure(.singletonRunning), effects)
            }
            return (.success(id), effects)
        }
    }

    /// Makes the durable cron items match the registered cron triggers (at start-up).
    func syncCronItems(_ effects: inout EngineEffects) throws {
        try timers.syncCronItems(&effects)
    }
}
