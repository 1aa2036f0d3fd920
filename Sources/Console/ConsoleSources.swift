import HTTP
import InngestProtocol
import JSON
import Ops

/// Where the console's data comes from. Runs and events are read through the
/// Inngest REST API, so the console works the same on the embedded engine or
/// an Inngest server; the rest is what the worker itself knows.
public struct ConsoleSources: Sendable {
    /// The REST API (`/v1/runs`, `/v1/events`, ...).
    public var api: InngestAPIClient
    /// The served functions as they are synced (`id`, `name`, `triggers`, flow control).
    public var functions: @Sendable () -> [JSON]
    /// Sends one event; returns the ids the server assigned.
    public var send: @Sendable (InngestEvent) async throws -> [String]
    /// Checks every machine and service of the inventory (nil: no inventory configured).
    public var checkServices: (@Sendable () async throws -> StatusReport)?
    /// The worker's Prometheus text.
    public var metrics: (@Sendable () -> String)?
    /// The agent loops, newest first (nil: no loop state store).
    public var loops: (@Sendable () throws -> [ConsoleLoop])?
    /// Unix milliseconds.
    public var now: @Sendable () -> Int64
    /// The worker's app id: names runs by function slug on a server that reports function UUIDs.
    public var appID: String?

    public init(api: InngestAPIClient, functions: @escaping @Sendable () -> [JSON],
                send: @escaping @Sendable (InngestEvent) async throws -> [String],
                checkServices: (@Sendable () async throws -> StatusReport)? = nil,
                metrics: (@Sendable () -> String)? = nil, loops: (@Sendable () throws -> [ConsoleLoop])? = nil,
                now: @escaping @Sendable () -> Int64, appID: String? = nil) {
        self.api = api
        self.functions = functions
        self.send = send
        self.checkServices = checkServices
        self.metrics = metrics
        self.loops = loops
        self.now = now
        self.appID = appID
    }
}

/// The last service check and the transitions seen, shared by all requests;
/// checks run at most every `minimumInterval` ms however often pages poll.
actor ServiceWatch {
    private var history = HealthHistory()
    private var report: StatusReport?
    private var problem: String?
    private var checkedAt: Int64?
    private var checking: Task<Void, Never>?
    let minimumInterval: Int64

    init(minimumInterval: Int64 = 2_000) { self.minimumInterval = minimumInterval }

    func current(check: @escaping @Sendable () async throws -> StatusReport, now: Int64) async
        -> (StatusReport?, String?, HealthHistory) {
        if checkedAt.map({ now < $0 || now - $0 >= minimumInterval }) ?? true {
            if checking == nil {
                checking = Task {
                    do {
                        let fresh = try await check()
                        self.store(fresh, at: now)
                    } catch {
                        self.fail("\(error)", at: now)
                    }
                }
            }
            await checking?.value
            checking = nil
        }
        return (report, problem, history)
    }

    private func store(_ fresh: StatusReport, at now: Int64) {
        report = fresh
        problem = nil
        checkedAt = now
        history.record(fresh.allServices, at: now)
    }

    private func fail(_ why: String, at now: Int64) {
        problem = "services could not be checked: \(why)"
        checkedAt = now
    }
}
