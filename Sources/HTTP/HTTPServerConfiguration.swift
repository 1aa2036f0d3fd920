import Foundation

/// Where the server listens and the limits it enforces. Every timeout is in
/// seconds; the defaults suit a worker on loopback that receives large
/// Inngest call bodies.
public struct HTTPServerConfiguration: Sendable {
    /// Host name or address to bind, e.g. `127.0.0.1`, `::1`, `0.0.0.0`.
    public var host: String
    /// Port to bind; 0 picks a free one (read it back from `HTTPServer.port`).
    public var port: Int
    public var limits: HTTPParserLimits
    /// Connections open at once; one more is answered 503 and closed.
    public var maxConnections: Int
    /// Time allowed from a request's first byte (or from accept) until its
    /// head is complete; a trickling client gets 408 and is closed.
    public var headerReadTimeout: Double
    /// Time allowed to receive a whole body once the head is in.
    public var bodyReadTimeout: Double
    /// How long a kept-alive connection may sit idle between requests.
    public var idleTimeout: Double
    /// How long one write may wait for a client that does not read.
    public var writeTimeout: Double
    public var backlog: Int32
    /// Event-loop threads; 0 means one per online CPU. Handlers run on the
    /// loop of their connection, so a handler that computes for long should
    /// move that work elsewhere (`Task.detached`) rather than hold its loop.
    public var eventLoops: Int
    /// Request-body bytes all connections together may hold at once (bodies
    /// are read whole before any handler, so before any authentication); a
    /// body that would go past it is refused with 503.
    public var maxBufferedBodyBytes = 256 * 1024 * 1024

    public init(host: String = "127.0.0.1", port: Int = 0, limits: HTTPParserLimits = HTTPParserLimits(),
                maxConnections: Int = 1024, headerReadTimeout: Double = 10, bodyReadTimeout: Double = 60,
                idleTimeout: Double = 60, writeTimeout: Double = 30, backlog: Int32 = 1024, eventLoops: Int = 0) {
        self.host = host
        self.port = port
        self.limits = limits
        self.maxConnections = maxConnections
        self.headerReadTimeout = headerReadTimeout
        self.bodyReadTimeout = bodyReadTimeout
        self.idleTimeout = idleTimeout
        self.writeTimeout = writeTimeout
        self.backlog = backlog
        self.eventLoops = eventLoops
    }

    var resolvedEventLoops: Int {
        if eventLoops > 0 { return eventLoops }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// How often the poller checks deadlines: fine enough for the shortest timeout.
    var pollerTick: Double {
        min(0.25, max(0.005, min(headerReadTimeout, bodyReadTimeout, idleTimeout, writeTimeout) / 8))
    }
}
