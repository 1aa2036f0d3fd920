import Foundation
import Subprocess

/// Checks a rendered file before anything is installed: structure in Swift
/// for every format, plus the format's own tool when it is installed
/// (`plutil -lint`, `caddy validate`, `docker compose config`). A missing tool
/// is noted, not fatal; a tool that rejects the file is.
struct InfraValidator {
    var inventory: Inventory?
    var commands: any CommandRunner

    /// Returns notes for the plan ("caddy not installed: checked structure only").
    func validate(_ file: RenderedFile, stagedAt staged: String) async throws -> [String] {
        switch file.file.format {
        case .plist:
            try Self.checkPlist(file.content, expectedLabel: file.file.action.label)
            return try await tool(Command("plutil", ["-lint", staged], timeout: 20), for: file)
        case .caddyfile:
            let caddyfile: Caddyfile
            do { caddyfile = try Caddyfile(parsing: file.content) } catch { throw InfraError("\(file.file.source): \(error)") }
            try ListenAddressCheck.caddy(caddyfile, source: file.file.source)
            if let inventory, let label = file.file.action.label {
                try Self.checkRoutes(caddyfile, against: inventory, proxyUnit: label, source: file.file.source)
            }
            return try await tool(Command("caddy", ["validate", "--config", staged, "--adapter", "caddyfile"], timeout: 20), for: file)
        case .compose:
            try Self.checkYAMLShape(file.content, source: file.file.source, requiredTopLevel: ["services"])
            try ListenAddressCheck.compose(file.content, source: file.file.source)
            // The docker CLI may be present without its compose plugin.
            if let probe = try? await commands.run(Command("docker", ["compose", "version"], timeout: 10)), !probe.succeeded {
                return ["\(file.file.source): docker compose not installed, checked structure only"]
            }
            return try await tool(Command("docker", ["compose", "-f", staged, "config", "--quiet"], timeout: 20), for: file)
        case .kubernetes:
            try Self.checkYAMLShape(file.content, source: file.file.source, requiredTopLevel: ["apiVersion", "kind", "metadata"])
            return []
        }
    }

    func tool(_ command: Command, for file: RenderedFile) async throws -> [String] {
        do {
            let r = try await commands.run(command)
            guard r.succeeded else {
                let why = (r.stderrText.isEmpty ? r.stdoutText : r.stderrText).trimmingCharacters(in: .whitespacesAndNewlines)
                throw InfraError("\(file.file.source): `\(command.executable)` rejected it: \(why.prefix(400))")
            }
            return ["\(file.file.source): \(command.executable) ok"]
        } catch CommandError.notFound(let name) {
            return ["\(file.file.source): \(name) not installed, checked structure only"]
        }
    }

    /// A launchd job definition: a dictionary with the right `Label` and a
    /// non-empty `ProgramArguments` of absolute-path program plus strings.
    static func checkPlist(_ text: String, expectedLabel: String?) throws {
        let object: Any
        do {
            object = try PropertyListSerialization.propertyList(from: Data(text.utf8), options: [], format: nil)
        } catch {
            throw InfraError("not a valid property list: \(error.localizedDescription)")
        }
        guard let dict = object as? [String: Any] else { throw InfraError("property list is not a dictionary") }
        guard let label = dict["Label"] as? String, !label.isEmpty else { throw InfraError("plist has no Label") }
        if let expectedLabel, label != expectedLabel {
            throw InfraError("plist Label \(label) does not match the manifest's \(expectedLabel)")
        }
        guard let args = dict["ProgramArguments"] as? [String], let program = args.first else {
            throw InfraError("\(label): ProgramArguments must be a non-empty array of strings")
        }
        guard program.hasPrefix("/") else { throw InfraError("\(label): program \(program) is not an absolute path") }
        for key in ["StandardOutPath", "StandardErrorPath", "WorkingDirectory"] {
            if let v = dict[key] { guard let s = v as? String, s.hasPrefix("/") else { throw InfraError("\(label): \(key) must be an absolute path") } }
        }
        if let keepAlive = dict["KeepAlive"], !(keepAlive is Bool || keepAlive is [String: Any]) {
            throw InfraError("\(label): KeepAlive must be a boolean or a dictionary")
        }
    }

    /// The proxy's sites must be exactly the inventory's routes for that service.
    static func checkRoutes(_ caddyfile: Caddyfile, against inventory: Inventory, proxyUnit: String, source: String) throws {
        guard let proxy = inventory.services.first(where: { $0.service.unit == proxyUnit })?.service else { return }
        var sites: [Int: [Int]] = [:]
        for site in caddyfile.sites {
            for port in site.ports { sites[port, default: []] += site.upstreams.compactMap(Caddyfile.port(ofUpstream:)) }
        }
        for route in proxy.routes {
            guard let upstreams = sites[route.listen] else {
                throw InfraError("\(source): no site on :\(route.listen), but the inventory routes it to \(route.upstream)")
            }
            guard upstreams == [route.upstreamPort] else {
                throw InfraError("\(source): site :\(route.listen) proxies to \(upstreams.map { ":\($0)" }.joined(separator: ", ")), the inventory says \(route.upstream) :\(route.upstreamPort)")
            }
        }
        let extra = Set(sites.keys).subtracting(proxy.routes.map(\.listen))
        if let port = extra.min() {
            throw InfraError("\(source): site :\(port) is not in the inventory's routes for \(proxy.name)")
        }
    }

    /// A light YAML shape check (full parsing is left to the tools): no tabs
    /// in indentation, and every document has the required top-level keys.
    static func checkYAMLShape(_ text: String, source: String, requiredTopLevel: [String]) throws {
        var documents: [[String]] = [[]]
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("---") { documents.append([]); continue }
            if line.prefix(while: { $0 == " " || $0 == "\t" }).contains("\t") {
                throw InfraError("\(source):\(i + 1): tab in indentation")
            }
            if let first = line.first, first != " ", first != "#", first != "-", let colon = line.firstIndex(of: ":") {
                documents[documents.count - 1].append(String(line[..<colon]))
            }
        }
        for (i, keys) in documents.enumerated() where !keys.isEmpty || documents.count == 1 {
            for key in requiredTopLevel where !keys.contains(key) {
                throw InfraError("\(source): document \(i + 1) has no top-level '\(key)'")
            }
        }
    }
}

extension RestartAction {
    /// The launchd label the action concerns, if any.
    var label: String? {
        switch self {
        case .launchd(let l), .kickstart(let l): return l
        case .compose, .kubectl: return nil
        }
    }
}
