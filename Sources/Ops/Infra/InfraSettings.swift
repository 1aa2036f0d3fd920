import Foundation

/// The values infra templates are filled with, and where each comes from.
///
/// Highest first: the environment (`JOELCLAW_<NAME>`), the settings file
/// (`JOELCLAW_INFRA_CONFIG`, default `~/.config/joelclaw/infra.env`, `NAME=value`
/// lines), built-ins (`HOME`, `USER`, `UID`, `REPO`), then the defaults in
/// `infra/infra.json`. Values may use other `{{NAMES}}`; they are resolved
/// recursively and a cycle is an error. `fixed` values (what the inventory
/// decides, such as `BIND_ADDRESS`) sit above all of them: an environment
/// variable cannot widen where a service listens.
public struct InfraSettings: Sendable, Equatable {
    public private(set) var values: [String: String]

    public init(values: [String: String]) { self.values = values }

    public init(defaults: [(String, String)], environment: [String: String], repositoryRoot: String,
                settingsFile: String? = nil, fixed: [String: String] = [:]) throws {
        var raw: [String: String] = [:]
        for (k, v) in defaults { raw[k] = v }
        if let home = environment["HOME"] { raw["HOME"] = home }
        raw["USER"] = environment["USER"] ?? environment["LOGNAME"] ?? raw["USER"] ?? "nobody"
        raw["UID"] = environment["JOELCLAW_UID"] ?? String(getuid())
        raw["REPO"] = repositoryRoot
        if let settingsFile, FileManager.default.fileExists(atPath: settingsFile) {
            for (k, v) in try Self.parseSettingsFile(settingsFile) { raw[k] = v }
        }
        for (k, v) in environment where k.hasPrefix("JOELCLAW_") {
            let name = String(k.dropFirst("JOELCLAW_".count))
            if TemplateRenderer.isPlaceholderName(name) { raw[name] = v }
        }
        for (k, v) in fixed { raw[k] = v }
        values = try Self.resolve(raw)
    }

    /// `NAME=value` lines; `#` comments and blank lines are ignored.
    static func parseSettingsFile(_ path: String) throws -> [(String, String)] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { i, line in
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.isEmpty || t.hasPrefix("#") { return nil }
            guard let eq = t.firstIndex(of: "="), TemplateRenderer.isPlaceholderName(String(t[..<eq])) else {
                throw TemplateError(file: path, line: i + 1, message: "expected NAME=value")
            }
            return (String(t[..<eq]), String(t[t.index(after: eq)...]))
        }
    }

    static func resolve(_ raw: [String: String]) throws -> [String: String] {
        var done: [String: String] = [:]
        func value(_ name: String, _ stack: [String]) throws -> String {
            if let v = done[name] { return v }
            guard !stack.contains(name) else {
                throw TemplateError(file: "settings", line: 0, message: "cycle: \((stack + [name]).joined(separator: " -> "))")
            }
            guard let template = raw[name] else {
                throw TemplateError(file: "settings", line: 0, message: "\(stack.last ?? name) uses unknown setting {{\(name)}}")
            }
            var values: [String: String] = [:]
            for dep in TemplateRenderer.placeholders(in: template) { values[dep] = try value(dep, stack + [name]) }
            let v = try TemplateRenderer(values: values).render(template, name: "setting \(name)")
            done[name] = v
            return v
        }
        for name in raw.keys.sorted() { _ = try value(name, []) }
        return done
    }
}
