import Foundation
import HTTP
import JSON
import Support

/// The worker's self-report for `GET /health` beyond "the process answers":
/// how many functions it serves, whether the engine it syncs with is
/// reachable, and how the last sync went.
///
/// The parts of the worker that know these facts record them here (function
/// registration, the sync with Inngest); the health route asks for `fields()`.
public final class WorkerHealth: @unchecked Sendable {
    public struct SyncResult: Sendable, Equatable {
        public var succeeded: Bool
        public var detail: String
        public var at: Date
    }

    private let http: any HTTPClient
    private let probeTimeout: Double
    private let lock = NSLock()
    private var functionCount: Int?
    private var engineURL: String?
    private var lastSync: SyncResult?
    /// The last engine probe, reused for `probeCacheSeconds` so a burst of
    /// /health requests does not become a burst of requests to the engine.
    private var cachedProbe: (url: String, at: Double, reachable: Bool, detail: String)?
    private let probeCacheSeconds: Double

    public init(http: any HTTPClient = SocketHTTPClient(), engineURL: String? = nil, probeTimeout: Double = 1,
                probeCacheSeconds: Double = 5) {
        self.http = http
        self.engineURL = engineURL
        self.probeTimeout = probeTimeout
        self.probeCacheSeconds = probeCacheSeconds
    }

    public func setFunctionCount(_ count: Int) { lock.withLock { functionCount = count } }

    /// The Inngest server or embedded engine to probe (`GET {url}/health`); nil skips the probe.
    public func setEngineURL(_ url: String?) { lock.withLock { engineURL = url } }

    public func recordSync(succeeded: Bool, detail: String, at date: Date = Date()) {
        lock.withLock { lastSync = SyncResult(succeeded: succeeded, detail: detail, at: date) }
    }

    /// Fields to merge into the /health body, in a fixed order:
    /// `functionCount` (int|null), `engine` ({url, reachable, detail}|null),
    /// `lastSync` ({ok, at, detail}|null).
    public func fields() async -> [(key: String, value: JSON)] {
        let (count, url, sync) = lock.withLock { (functionCount, engineURL, lastSync) }
        var engine: JSON = .null
        if let url {
            let (reachable, detail) = await probe(url)
            engine = .object(JSONObject([("url", .string(url)), ("reachable", .bool(reachable)), ("detail", .string(detail))]))
        }
        let syncJSON: JSON = sync.map {
            .object(JSONObject([("ok", .bool($0.succeeded)), ("at", .string(UTCTimestamp.rfc3339(milliseconds: Int64(($0.at.timeIntervalSince1970 * 1000).rounded())))), ("detail", .string($0.detail))]))
        } ?? .null
        return [
            ("functionCount", count.map { .number(JSONNumber($0)) } ?? .null),
            ("engine", engine),
            ("lastSync", syncJSON),
        ]
    }

    func probe(_ base: String) async -> (Bool, String) {
        let now = ProcessInfo.processInfo.systemUptime
        if let c = lock.withLock({ cachedProbe }), c.url == base, now - c.at < probeCacheSeconds { return (c.reachable, c.detail) }
        let (reachable, detail) = await probeNow(base)
        lock.withLock { cachedProbe = (base, now, reachable, detail) }
        return (reachable, detail)
    }

    func probeNow(_ base: String) async -> (Bool, String) {
        let url = base.hasSuffix("/") ? "\(base)health" : "\(base)/health"
        do {
            let r = try await http.send(HTTPClientRequest(method: "GET", url: url, timeout: probeTimeout))
            return ((200...299).contains(r.status), "HTTP \(r.status)")
        } catch HTTPClientError.timedOut {
            return (false, "no response within \(String(format: "%.1f", probeTimeout))s")
        } catch HTTPClientError.transport(let why) {
            return (false, why)
        } catch {
            return (false, "\(error)")
        }
    }
}
