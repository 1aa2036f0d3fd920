import Foundation
import JSON

/// `infra/infra.json`: which templates exist, where each is installed, how it
/// is validated, and what must restart when it changes.
public struct InfraManifest: Sendable {
    public var settings: [(String, String)]
    /// Groups applied when neither `--only` nor `JOELCLAW_INFRA_GROUPS` says otherwise.
    public var defaultGroups: [String]
    public var files: [InfraFile]

    public static func load(from path: String) throws -> InfraManifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InfraError("cannot read \(path)")
        }
        do {
            return try decode(JSON(parsing: data))
        } catch let e as InventoryError {
            throw InfraError("\(path): \(e.path): \(e.message)")
        } catch let e as JSONParseError {
            throw InfraError("\(path): \(e)")
        }
    }

    static func decode(_ doc: JSON) throws -> InfraManifest {
        let root = try Fields(doc, path: "", allowed: ["$comment", "schemaVersion", "settings", "defaultGroups", "files"])
        guard try root.int("schemaVersion") == 1 else { throw InventoryError(path: "schemaVersion", "unsupported version") }
        guard let settingsObject = try root.value("settings").objectValue else {
            throw InventoryError(path: "settings", "expected an object of NAME: value")
        }
        var settings: [(String, String)] = []
        for (k, v) in settingsObject {
            guard TemplateRenderer.isPlaceholderName(k), let s = v.stringValue else {
                throw InventoryError(path: "settings.\(k)", "expected an UPPER_CASE name with a string value")
            }
            settings.append((k, s))
        }
        let groups = try root.array("defaultGroups").map { g -> String in
            guard let s = g.stringValue else { throw InventoryError(path: "defaultGroups", "expected strings") }
            return s
        }
        let files = try root.array("files").enumerated().map { i, f in try InfraFile.decode(f, path: "files[\(i)]") }
        return InfraManifest(settings: settings, defaultGroups: groups, files: files)
    }
}

/// One managed file.
public struct InfraFile: Sendable, Equatable {
    /// Template path relative to `infra/`.
    public var source: String
    /// Install path, itself a template (`{{LAUNCH_AGENTS_DIR}}/x.plist`).
    public var target: String
    public var format: InfraFormat
    public var group: String
    public var action: RestartAction

    static func decode(_ value: JSON, path: String) throws -> InfraFile {
        let f = try Fields(value, path: path, allowed: ["source", "target", "format", "group", "apply"])
        let formatText = try f.string("format")
        guard let format = InfraFormat(rawValue: formatText) else {
            throw InventoryError(path: "\(path).format", "unknown format \"\(formatText)\"; expected plist, caddyfile, compose or kubernetes")
        }
        let a = try Fields(f.value("apply"), path: "\(path).apply", allowed: ["launchd", "kickstart", "compose", "kubectl"])
        let action: RestartAction
        if a.has("launchd") { action = .launchd(label: try a.string("launchd")) }
        else if a.has("kickstart") { action = .kickstart(label: try a.string("kickstart")) }
        else if a.has("compose") { action = .compose(project: try a.string("compose")) }
        else if a.has("kubectl") { action = .kubectl }
        else { throw InventoryError(path: "\(path).apply", "expected one of launchd, kickstart, compose, kubectl") }
        return InfraFile(source: try f.string("source"), target: try f.string("target"), format: format,
                         group: try f.string("group"), action: action)
    }
}

public enum InfraFormat: String, Sendable {
    case plist, caddyfile, compose, kubernetes

    /// How placeholder values are escaped in this format.
    var escape: @Sendable (String) -> String {
        switch self {
        case .plist: return TemplateRenderer.xml
        case .compose, .kubernetes: return TemplateRenderer.yamlDoubleQuoted
        case .caddyfile: return { $0 }
        }
    }
}

/// What makes a changed file take effect.
public enum RestartAction: Sendable, Equatable, Hashable {
    /// A launchd job definition: `bootout` then `bootstrap` (a reload).
    case launchd(label: String)
    /// A config file a launchd job reads: `kickstart -k` restarts the job.
    case kickstart(label: String)
    /// A compose file: `docker compose up -d` recreates what changed.
    case compose(project: String)
    /// A Kubernetes manifest: `kubectl apply -f`.
    case kubectl
}

/// `infra apply` could not proceed; the message says why and what to fix.
public struct InfraError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// True when the files themselves are wrong (render or validation), as
    /// opposed to a step failing while applying them.
    public var isInvalidConfiguration: Bool
    public init(_ message: String, invalidConfiguration: Bool = false) {
        self.message = message
        self.isInvalidConfiguration = invalidConfiguration
    }
    public var description: String { message }
}
