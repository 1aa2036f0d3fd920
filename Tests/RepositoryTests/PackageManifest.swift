import Foundation

/// The targets of the repository's `Package.swift`, read as text: enough to
/// draw the module graph and compare it with the documents that describe it.
/// (SwiftPM's own `dump-package` would need the build lock the running tests hold.)
struct PackageManifest {
    struct Target: Equatable {
        enum Kind: String { case target, executableTarget, testTarget, systemLibrary }
        var name: String
        var kind: Kind
        var dependencies: [String]
        var path: String

        /// A module of the product itself: not a test, benchmark or test tool.
        var isShipped: Bool { kind != .testTarget && path.hasPrefix("Sources/") }
    }

    var targets: [Target]

    static func load(root: String) throws -> PackageManifest {
        try PackageManifest(text: String(contentsOfFile: root + "/Package.swift", encoding: .utf8))
    }

    init(text: String) throws {
        let chars = Array(text)
        // Top-level elements of `targets: [ ... ]`: depth 1 inside that array,
        // skipping strings and `//` comments.
        var declarations: [(kind: Target.Kind, body: String)] = []
        // The package's `targets:` argument opens its line (a product's `targets:` does not).
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let line = lines.first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("targets: [") }),
              let open = text.range(of: "targets: [", range: line.startIndex..<text.endIndex) else { targets = []; return }
        var i = text.distance(from: text.startIndex, to: open.upperBound)
        var depth = 1
        var current: (kind: Target.Kind, start: Int)?
        while i < chars.count, depth > 0 {
            let c = chars[i]
            if c == "/", i + 1 < chars.count, chars[i + 1] == "/" {
                while i < chars.count, chars[i] != "\n" { i += 1 }
                continue
            }
            if c == "\"" {
                i += 1
                while i < chars.count, chars[i] != "\"" { i += chars[i] == "\\" ? 2 : 1 }
                i += 1
                continue
            }
            if depth == 1, c == "." {
                let rest = String(chars[(i + 1)..<min(chars.count, i + 40)])
                if let (keyword, kind) = Target.Kind.allCasesByKeyword.first(where: { rest.hasPrefix($0.0 + "(name: ") }) {
                    if let open = current { declarations.append((open.kind, String(chars[open.start..<i]))) }
                    current = (kind, i + 1 + keyword.count)
                }
            }
            if c == "(" || c == "[" { depth += 1 } else if c == ")" || c == "]" { depth -= 1 }
            i += 1
        }
        if let open = current { declarations.append((open.kind, String(chars[open.start..<max(open.start, i - 1)]))) }
        targets = declarations.map { declaration in
            let body = Substring(declaration.body)
            let name = body.range(of: "name: \"").map { String(body[$0.upperBound...].prefix { $0 != "\"" }) } ?? ""
            var dependencies: [String] = []
            if let open = body.range(of: "dependencies: [") {
                var depth = 1, index = open.upperBound
                while index < body.endIndex, depth > 0 {
                    if body[index] == "[" { depth += 1 } else if body[index] == "]" { depth -= 1 }
                    index = body.index(after: index)
                }
                dependencies = Self.quoted(body[open.upperBound..<index])
            }
            let path = body.range(of: "path: \"").map { String(body[$0.upperBound...].prefix { $0 != "\"" }) }
                ?? (declaration.kind == .testTarget ? "Tests/\(name)" : "Sources/\(name)")
            return Target(name: name, kind: declaration.kind, dependencies: dependencies, path: path)
        }
    }

    var shipped: [Target] { targets.filter(\.isShipped) }

    /// The shipped modules as a Mermaid graph, one edge per declared dependency.
    var mermaid: String {
        var lines = ["```mermaid", "graph BT"]
        for target in shipped.sorted(by: { $0.name < $1.name }) {
            let dependencies = target.dependencies.filter { dep in shipped.contains { $0.name == dep } }
            if dependencies.isEmpty { lines.append("  \(target.name)") }
            for dep in dependencies.sorted() { lines.append("  \(target.name) --> \(dep)") }
        }
        lines.append("```")
        return lines.joined(separator: "\n")
    }

    private static func quoted(_ text: Substring) -> [String] {
        var result: [String] = []
        var rest = text
        while let open = rest.firstIndex(of: "\"") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "\"") else { break }
            result.append(String(after[..<close]))
            rest = after[after.index(after: close)...]
        }
        return result
    }
}

extension PackageManifest.Target.Kind {
    static var allCasesByKeyword: [(String, Self)] {
        [("target", .target), ("executableTarget", .executableTarget), ("testTarget", .testTarget), ("systemLibrary", .systemLibrary)]
    }
}
