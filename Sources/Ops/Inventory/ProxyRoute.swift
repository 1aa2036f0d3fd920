/// One site a reverse proxy (Caddy) serves: a port it listens on and the
/// service on the same machine it forwards to. The Caddyfile is checked
/// against these, so the proxy and the inventory cannot drift apart.
public struct ProxyRoute: Sendable, Equatable {
    public var listen: Int
    /// The service name the route forwards to.
    public var upstream: String
    /// The upstream port (the service's first port unless given).
    public var upstreamPort: Int

    public init(listen: Int, upstream: String, upstreamPort: Int) {
        self.listen = listen
        self.upstream = upstream
        self.upstreamPort = upstreamPort
    }
}
