/// A parsed Caddyfile: enough of Caddy's grammar (tokens, quotes, comments,
/// nested blocks, global options, snippets) to check which sites exist and
/// where they proxy, so the proxy config can be compared with the inventory.
public struct Caddyfile: Sendable, Equatable {
    public struct Directive: Sendable, Equatable {
        public var name: String
        public var arguments: [String]
        public var block: [Directive]
        public var line: Int
    }

    public struct Site: Sendable, Equatable {
        public var addresses: [String]
        public var directives: [Directive]
        public var line: Int

        /// Ports the site listens on: explicit `:port`, else 80 for `http://`, else 443.
        public var ports: [Int] {
            addresses.map { address in
                var a = Substring(address)
                var scheme = "https"
                if let r = a.range(of: "://") { scheme = String(a[..<r.lowerBound]); a = a[r.upperBound...] }
                if let slash = a.firstIndex(of: "/") { a = a[..<slash] }
                if let colon = a.lastIndex(of: ":"), let p = Int(a[a.index(after: colon)...]) { return p }
                return scheme == "http" ? 80 : 443
            }
        }

        /// Upstreams of every `reverse_proxy` in the site (arguments and `to` lines).
        public var upstreams: [String] {
            func collect(_ ds: [Directive]) -> [String] {
                ds.flatMap { d -> [String] in
                    if d.name == "reverse_proxy" {
                        return d.arguments.filter { !$0.hasPrefix("/") && !$0.hasPrefix("@") && $0 != "*" }
                            + d.block.filter { $0.name == "to" }.flatMap(\.arguments)
                    }
                    return collect(d.block)
                }
            }
            return collect(directives)
        }
    }

    public var globalOptions: [Directive]
    public var snippets: [String: [Directive]]
    public var sites: [Site]

    /// The port an upstream like `127.0.0.1:8288`, `localhost:3111` or `http://x:80` points at.
    public static func port(ofUpstream upstream: String) -> Int? {
        var u = Substring(upstream)
        if let r = u.range(of: "://") { u = u[r.upperBound...] }
        guard let colon = u.lastIndex(of: ":") else { return nil }
        return Int(u[u.index(after: colon)...])
    }
}

public struct CaddyfileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public var description: String { "Caddyfile line \(line): \(message)" }
}

extension Caddyfile {
    public init(parsing text: String) throws {
        var parser = CaddyfileParser(tokens: try CaddyfileLexer.tokens(text))
        self = try parser.parseFile()
    }
}

/// One token with the line it started on; `newlineBefore` separates directives.
struct CaddyToken: Equatable {
    var text: String
    var line: Int
    var quoted: Bool
    var newlineBefore: Bool
}

enum CaddyfileLexer {
    /// Splits on unicode scalars, not Characters: "\r\n" is one Character in
    /// Swift and would otherwise hide a line break.
    static func tokens(_ text: String) throws -> [CaddyToken] {
        var tokens: [CaddyToken] = []
        var line = 1
        var newline = true
        var chars = Array(text.unicodeScalars)[...]
        func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\r" || c == "\n" }
        while let c = chars.first {
            if c == "\n" { line += 1; newline = true; chars = chars.dropFirst(); continue }
            if isSpace(c) { chars = chars.dropFirst(); continue }
            if c == "#" {
                while let d = chars.first, d != "\n" { chars = chars.dropFirst() }
                continue
            }
            if c == "\"" || c == "`" {
                let start = line
                chars = chars.dropFirst()
                var value = String.UnicodeScalarView()
                var closed = false
                while let d = chars.first {
                    chars = chars.dropFirst()
                    if d == c { closed = true; break }
                    if d == "\\", c == "\"", let e = chars.first, e == "\"" || e == "\\" { value.append(e); chars = chars.dropFirst(); continue }
                    if d == "\n" { line += 1 }
                    value.append(d)
                }
                guard closed else { throw CaddyfileError(line: start, message: "unterminated quoted string") }
                tokens.append(CaddyToken(text: String(value), line: start, quoted: true, newlineBefore: newline))
                newline = false
                continue
            }
            var value = String.UnicodeScalarView()
            while let d = chars.first, !isSpace(d) {
                value.append(d)
                chars = chars.dropFirst()
            }
            tokens.append(CaddyToken(text: String(value), line: line, quoted: false, newlineBefore: newline))
            newline = false
        }
        return tokens
    }
}

struct CaddyfileParser {
    var tokens: [CaddyToken]
    var index = 0

    func isOpen(_ t: CaddyToken) -> Bool { !t.quoted && t.text == "{" }
    func isClose(_ t: CaddyToken) -> Bool { !t.quoted && t.text == "}" }

    mutating func parseFile() throws -> Caddyfile {
        var file = Caddyfile(globalOptions: [], snippets: [:], sites: [])
        if index < tokens.count, isOpen(tokens[index]) {
            index += 1
            file.globalOptions = try parseBlockBody()
        }
        while index < tokens.count {
            let first = tokens[index]
            if isClose(first) { throw CaddyfileError(line: first.line, message: "unexpected '}'") }
            var labels: [String] = []
            while index < tokens.count, !isOpen(tokens[index]) {
                if !labels.isEmpty, tokens[index].newlineBefore {
                    throw CaddyfileError(line: tokens[index].line, message: "expected '{' after site address \(labels.joined(separator: " "))")
                }
                labels += tokens[index].text.split(separator: ",").map { String($0) }
                index += 1
            }
            guard index < tokens.count else {
                // A file with a single site may omit the braces; this parser
                // requires them so sites are unambiguous.
                throw CaddyfileError(line: first.line, message: "site \(labels.joined(separator: " ")) has no '{' block")
            }
            index += 1
            let body = try parseBlockBody()
            if labels.count == 1, labels[0].hasPrefix("("), labels[0].hasSuffix(")") {
                file.snippets[String(labels[0].dropFirst().dropLast())] = body
            } else {
                file.sites.append(Caddyfile.Site(addresses: labels, directives: body, line: first.line))
            }
        }
        return file
    }

    /// Directives up to the matching `}` (already past the `{`).
    mutating func parseBlockBody() throws -> [Caddyfile.Directive] {
        var directives: [Caddyfile.Directive] = []
        let openLine = index > 0 ? tokens[index - 1].line : 1
        while index < tokens.count {
            let t = tokens[index]
            if isClose(t) { index += 1; return directives }
            if isOpen(t) { throw CaddyfileError(line: t.line, message: "unexpected '{'") }
            var d = Caddyfile.Directive(name: t.text, arguments: [], block: [], line: t.line)
            index += 1
            while index < tokens.count, !tokens[index].newlineBefore, !isClose(tokens[index]) {
                if isOpen(tokens[index]) {
                    index += 1
                    d.block = try parseBlockBody()
                    break
                }
                d.arguments.append(tokens[index].text)
                index += 1
            }
            directives.append(d)
        }
        throw CaddyfileError(line: openLine, message: "block opened here is never closed")
    }
}
