import Support
import Foundation
import HTTP
import InngestProtocol
import JSON

/// An Inngest-compatible engine running inside the worker process: an HTTP
/// API on `host:port`, a SQLite store, a scheduler and an executor that calls
/// the worker through the ordinary serve protocol.
///
/// `start()` opens the database (creating its directory), loads functions and
/// every outstanding queue item — so runs interrupted by a crash resume — and
/// starts serving. `stop()` stops accepting work; anything in flight is
/// simply redone after the next start.
public final class EmbeddedEngine: @unchecked Sendable {
    public let configuration: EmbeddedEngineConfiguration
    private let client: any HTTPClient
    private let log: Logger
    private let lock = NSLock()
    private var server: HTTPServer?
    private var scheduler: Scheduler?
    private var core: EngineCore?
    private var executor: Executor?
    private let finished = RunFinishNotifier()
    private var pruner: Task<Void, Never>?

    /// `client` makes the calls to the worker (use a keep-alive client);
    /// `logger` receives what the engine does, with its fields as fields.
    public init(configuration: EmbeddedEngineConfiguration, client: any HTTPClient, logger: Logger = .discarding) {
        self.configuration = configuration
        self.client = client
        self.log = logger
    }

    /// The port the API listens on (resolved when configured as 0).
    public var port: Int { lock.withLock { server?.port ?? configuration.port } }

    public var baseURL: String {
        var c = configuration
        c.port = port
        return c.baseURL
    }

    /// The API as a handler, for serving it elsewhere or calling it directly.
    public var handler: EngineAPI? { lock.withLock { api } }
    private var api: EngineAPI?

    /// Opens the store, binds the API and resumes outstanding work. With
    /// `dispatching: false` nothing is dispatched until `beginDispatching()`:
    /// the API (and its resolved port) is available at once, while resumed
    /// runs wait until the worker they call is listening.
    public func start(dispatching: Bool = true) throws {
        let config = configuration
        let directory = (config.databasePath as NSString).deletingLastPathComponent
        if !directory.isEmpty, config.databasePath != ":memory:" {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let store = try EngineStore(path: config.databasePath, synchronous: config.synchronous, now: config.clock.nowMilliseconds())
        let core = EngineCore(store: store, registry: FunctionRegistry(), clock: config.clock,
                              ids: config.ids ?? ULIDGenerator(clock: config.clock), settings: config.settings)
        try core.loadFunctions(log: log)
        let signer = try config.signingKey.map { try SigningKeySigner(key: $0) }
        let signingKeys = [config.signingKey].compactMap { $0 }.compactMap { try? SigningKey(parsing: $0) }
        let redactor = SecretRedactor(eventKeys: config.eventKeys, signingKeys: signingKeys)
        let executor = Executor(core: core, client: client, signer: signer, redactor: redactor, log: log)
        let notifier = finished
        executor.onRunFinished = { notifier.finished($0) }
        let scheduler = Scheduler(clock: config.clock, maxInFlight: config.settings.maxConcurrentCalls) { item in
            await executor.execute(item)
        }
        executor.scheduler = scheduler
        var authorize: (@Sendable (String?) -> Bool)?
        if let signer { authorize = { header in signer.accepts(authorization: header) } }
        let api = EngineAPI(core: core, executor: executor, limits: config.limits, eventKeys: Set(config.eventKeys),
                            authorize: authorize)
        // One event loop: the API carries little traffic, and a single listening socket
        // never shares its port with another server bound to port 0 at the same moment.
        var serverConfig = HTTPServerConfiguration(host: config.host, port: config.port, eventLoops: 1)
        serverConfig.limits.maxBodyBytes = max(config.limits.maxEventRequestBytes, 16 * 1024 * 1024)
        let server = HTTPServer(configuration: serverConfig, handler: api)
        try server.start()

        // Resume everything that was outstanding when the process last stopped.
        var effects = EngineEffects()
        try store.transaction { try core.syncCronItems(&effects) }
        let outstanding = try store.allQueueItems()
        scheduler.add(outstanding)
        if dispatching { scheduler.start() }
        lock.withLock {
            self.server = server
            self.scheduler = scheduler
            self.core = core
            self.executor = executor
            self.api = api
        }
        if config.retentionDays > 0 {
            let pruner = Task { [weak self] in
                while !Task.isCancelled {
                    _ = try? await self?.prune()
                    try? await Task.sleep(nanoseconds: 3_600 * 1_000_000_000)
                }
            }
            lock.withLock { self.pruner = pruner }
        }
        log.info("embedded Inngest engine started", [
            "address": .string(baseURL), "database": .string(config.databasePath), "resumed_items": .int(outstanding.count),
            "functions": .int(core.registry.all.count), "signed_calls": .bool(signer != nil),
        ])
    }

    /// Starts dispatching queued work (after `start(dispatching: false)`); idempotent.
    public func beginDispatching() {
        lock.withLock { scheduler }?.start()
    }

    /// Stops the API and the scheduler. Queue items stay in the database.
    public func stop() async {
        let (server, scheduler, pruner) = lock.withLock { (self.server, self.scheduler, self.pruner) }
        pruner?.cancel()
        scheduler?.stop()
        await server?.shutdown(drain: 2)
        lock.withLock { core }?.store.writer.stop()
        lock.withLock {
            self.server = nil
            self.scheduler = nil
        }
    }

    /// Runs (and events) deleted per pruning transaction.
    static let pruneSliceSize = 500

    /// Applies the retention rule now: deletes finished runs that ended more than
    /// `retentionDays` ago and the events no remaining run refers to. Returns the counts.
    @discardableResult
    public func prune() async throws -> (runs: Int, events: Int) {
        guard let core, configuration.retentionDays > 0 else { return (0, 0) }
        let now = core.now
        let cutoff = now - Int64(configuration.retentionDays) * 86_400_000
        // Slices first, each its own transaction, so a large backlog never stalls the engine;
        // then the full rule once, which finds little left and clears expired flow-control state.
        var counts = (runs: 0, events: 0)
        while true {
            let slice = try await core.store.write { try core.store.pruneSlice(before: cutoff, limit: Self.pruneSliceSize) }
            counts = (counts.runs + slice.runs, counts.events + slice.events)
            if slice.runs < Self.pruneSliceSize && slice.events < Self.pruneSliceSize { break }
            // A breath between slices: the writes of live runs go first.
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        let rest = try await core.store.write {
            try core.store.releaseEndedSingletons()
            return try core.store.prune(before: cutoff, now: now)
        }
        counts = (counts.runs + rest.runs, counts.events + rest.events)
        if counts.runs + counts.events > 0 {
            log.info("pruned old runs and events", ["runs": .int(counts.runs), "events": .int(counts.events),
                                                    "retention_days": .int(configuration.retentionDays)])
        }
        return counts
    }

    /// Waits until run `id` has finished (completed, failed or cancelled), up to `timeout` seconds.
    /// Returns false on timeout. For tests and benchmarks.
    public func waitForRun(_ id: String, timeout: Double) async -> Bool {
        if let run = try? core?.store.run(id), run.status.isTerminal { return true }
        return await finished.wait(for: id, timeout: timeout) { [weak self] in
            (try? self?.core?.store.run(id))??.status.isTerminal ?? false
        }
    }

    /// What the engine is doing now (idle once nothing is due or in flight); nil before `start()`.
    public var activity: EngineActivity? {
        let parts = lock.withLock { (scheduler, executor) }
        guard let scheduler = parts.0, let executor = parts.1 else { return nil }
        let load = scheduler.load
        return EngineActivity(hasDueWork: load.hasDueWork, inFlight: load.inFlight,
                              waitingForConcurrency: executor.limiter.parkedCount)
    }

    /// Runs started by event `id`, as the API reports them.
    public func runs(forEvent id: String) -> [JSON] {
        guard let core, let api else { return [] }
        return ((try? core.store.runs(forEvent: id)) ?? []).map(api.runJSON)
    }

    /// One run as the API reports it.
    public func run(_ id: String) -> JSON? {
        guard let core, let api, let run = try? core.store.run(id) else { return nil }
        return api.runJSON(run)
    }

    /// Sends events in-process, exactly as `POST /e/{key}` would.
    public func send(_ events: [IncomingEvent]) async throws -> [String] {
        guard let core, let executor else { throw EngineRegistrationError("engine not started") }
        let (ids, effects) = try await core.acceptEvents(events)
        executor.apply(effects)
        return ids
    }
}
