/// The parts of an `http://` or `https://` URL the socket client needs,
/// parsed without Foundation: scheme, host, port (default 80 or 443) and the
/// request target.
struct HTTPEndpoint: Sendable, Equatable {
    /// `https://`: the connection speaks TLS, verified against `host`.
    var isSecure: Bool
    var host: String
    var port: Int
    /// Path plus query, as sent on the request line (`/` when empty).
    var target: String
    /// The `Host` header value: the host, plus the port unless it is the
    /// scheme's default.
    var hostHeader: String

    /// The connection pool's key: plain and TLS connections never mix.
    var poolKey: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "\(isSecure ? "https" : "http")://\(hostPart):\(port)"
    }

    /// nil for anything but a well-formed `http[s]://host[:port][/path][?query]`
    /// (userinfo and fragments are refused; the fragment is never sent).
    init?(_ url: String) {
        let schemeLength: Int
        if url.utf8.count > 7, url.prefix(7).lowercased() == "http://" {
            schemeLength = 7
        } else if url.utf8.count > 8, url.prefix(8).lowercased() == "https://" {
            schemeLength = 8
        } else {
            return nil
        }
        let defaultPort = schemeLength == 8 ? 443 : 80
        var rest = Substring(url.dropFirst(schemeLength))
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var target = String(rest[authorityEnd...])
        if target.isEmpty || target.hasPrefix("?") { target = "/" + target }
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        var port = defaultPort
        if let portText {
            guard let p = Int(portText), (1...65535).contains(p) else { return nil }
            port = p
        }
        guard !host.isEmpty, target.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        self.isSecure = schemeLength == 8
        self.host = String(host)
        self.port = port
        self.target = target
        let hostForHeader = host.contains(":") ? "[\(host)]" : String(host)
        self.hostHeader = port == defaultPort ? hostForHeader : "\(hostForHeader):\(port)"
    }
}
