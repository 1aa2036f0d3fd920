/// Refuses rendered infra files that would listen on every interface: each
/// Caddy site needs a `bind` to specific addresses (directly or through an
/// imported snippet), and each Compose published port needs a specific host
/// address (`127.0.0.1:6379:6379`, `[::1]:6379:6379`). The inventory's
/// machine `bind` is where those addresses come from; this check catches a
/// template that forgot to use it.
enum ListenAddressCheck {
    static func caddy(_ caddyfile: Caddyfile, source: String) throws {
        for site in caddyfile.sites {
            let directives = expandImports(site.directives, snippets: caddyfile.snippets)
            let binds = directives.filter { $0.name == "bind" }
            let name = site.addresses.joined(separator: " ")
            guard !binds.isEmpty else {
                throw InfraError("\(source): site \(name) has no `bind`, so Caddy would listen on every interface")
            }
            for bind in binds {
                guard !bind.arguments.isEmpty else { throw InfraError("\(source): site \(name) has an empty `bind`") }
                if let bad = bind.arguments.first(where: { !BindAddress.isSpecific(hostOf($0)) }) {
                    throw InfraError("\(source): site \(name) binds to \(bad), not one specific address")
                }
            }
        }
    }

    /// The short-form entries under every `ports:` key of a Compose file.
    static func compose(_ text: String, source: String) throws {
        var portsIndent: Int?
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let indent = line.prefix(while: { $0 == " " }).count
            let body = line.dropFirst(indent)
            if body.isEmpty || body.hasPrefix("#") { continue }
            if let open = portsIndent {
                if indent > open || (indent == open && body.hasPrefix("-")) {
                    guard body.hasPrefix("-") else { continue }
                    try publishedPort(entry(body.dropFirst()), source: source, line: i + 1)
                    continue
                }
                portsIndent = nil
            }
            if body.hasPrefix("ports:") {
                let inline = body.dropFirst("ports:".count).trimmingCharacters(in: .whitespaces)
                guard inline.isEmpty else { throw InfraError("\(source):\(i + 1): write `ports:` as a block list, one entry per line") }
                portsIndent = indent
            }
        }
    }

    static func publishedPort(_ entry: String, source: String, line: Int) throws {
        let address: String
        if entry.hasPrefix("["), let close = entry.firstIndex(of: "]") {
            address = String(entry[entry.index(after: entry.startIndex)..<close])
        } else {
            let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 3 else {
                throw InfraError("\(source):\(line): port \"\(entry)\" names no host address, so it is published on every interface")
            }
            address = String(parts[0])
        }
        guard BindAddress.isSpecific(address) else {
            throw InfraError("\(source):\(line): port \"\(entry)\" is published on \(address), not one specific address")
        }
    }

    private static func entry(_ raw: Substring) -> String {
        var s = String(raw)
        if let hash = s.range(of: " #") { s = String(s[..<hash.lowerBound]) }
        s = s.trimmingCharacters(in: .whitespaces)
        if s.count >= 2, let q = s.first, q == "\"" || q == "'", s.last == q { s = String(s.dropFirst().dropLast()) }
        return s
    }

    private static func hostOf(_ bind: String) -> String {
        var s = Substring(bind)
        if let r = s.range(of: "://") { s = s[r.upperBound...] }
        if s.hasPrefix("["), s.hasSuffix("]") { s = s.dropFirst().dropLast() }
        return String(s)
    }

    private static func expandImports(_ directives: [Caddyfile.Directive], snippets: [String: [Caddyfile.Directive]],
                                      depth: Int = 0) -> [Caddyfile.Directive] {
        guard depth < 8 else { return directives }
        return directives.flatMap { d -> [Caddyfile.Directive] in
            guard d.name == "import", let name = d.arguments.first, let body = snippets[name] else { return [d] }
            return expandImports(body, snippets: snippets, depth: depth + 1)
        }
    }
}
