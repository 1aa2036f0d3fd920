import Subprocess
/// A template rendered for this machine: its content and where it goes.
public struct RenderedFile: Sendable, Equatable {
    public var file: InfraFile
    /// The path on the target system (what the service reads).
    public var target: String
    /// Where it is written: `target` under the apply root.
    public var installPath: String
    public var content: String
}

/// What `infra apply` will do: which files change, grouped into units that
/// are installed and restarted together (a launchd job with its config, a
/// compose project, a manifest), in manifest order.
public struct InfraPlan: Sendable {
    public struct Unit: Sendable {
        public var name: String
        public var files: [RenderedFile]
        /// Commands that make the new files take effect, in order.
        public var commands: [Command]
        /// Commands whose failure is expected and harmless (`bootout` of a job
        /// that is not loaded yet).
        public var tolerated: Set<Int>
    }

    public var units: [Unit]
    public var unchanged: [RenderedFile]
    public var created: Set<String>

    public var isEmpty: Bool { units.isEmpty }

    /// Groups the changed files into units and derives their commands.
    /// `launchdDomain` is e.g. `gui/501`.
    public init(changed: [RenderedFile], unchanged: [RenderedFile], created: Set<String>, launchdDomain: String) {
        self.unchanged = unchanged
        self.created = created
        var order: [String] = []
        var byKey: [String: [RenderedFile]] = [:]
        for f in changed {
            let key: String
            switch f.file.action {
            case .launchd(let label), .kickstart(let label): key = "launchd \(label)"
            case .compose(let project): key = "compose \(project)"
            case .kubectl: key = "kubectl \(f.file.source)"
            }
            if byKey[key] == nil { order.append(key) }
            byKey[key, default: []].append(f)
        }
        units = order.map { key in
            let files = byKey[key]!
            var commands: [Command] = []
            var tolerated: Set<Int> = []
            if let plist = files.first(where: { if case .launchd = $0.file.action { return true } else { return false } }),
               case .launchd(let label) = plist.file.action {
                tolerated.insert(commands.count)
                commands.append(Command("launchctl", ["bootout", "\(launchdDomain)/\(label)"], timeout: 30))
                commands.append(Command("launchctl", ["bootstrap", launchdDomain, plist.installPath], timeout: 30))
            } else if case .kickstart(let label) = files[0].file.action {
                commands.append(Command("launchctl", ["kickstart", "-k", "\(launchdDomain)/\(label)"], timeout: 30))
            } else if case .compose(let project) = files[0].file.action {
                commands.append(Command("docker", ["compose", "-p", project, "-f", files[0].installPath, "up", "-d"], timeout: 300))
            } else {
                commands.append(Command("kubectl", ["apply", "-f", files[0].installPath], timeout: 120))
            }
            return Unit(name: key, files: files, commands: commands, tolerated: tolerated)
        }
    }

    /// The plan as printed before anything happens.
    public func describe(root: String, groups: [String], notes: [String]) -> String {
        var out = "infra apply: root \(root), groups \(groups.joined(separator: ", "))\n"
        for n in notes { out += "  check  \(n)\n" }
        if units.isEmpty {
            out += "Nothing to do: \(unchanged.count) file(s) already up to date.\n"
            return out
        }
        out += "Plan:\n"
        for u in units {
            for f in u.files { out += "  \(created.contains(f.installPath) ? "create" : "update") \(f.installPath)\n" }
            for c in u.commands { out += "  run    \(c)\n" }
        }
        if !unchanged.isEmpty { out += "  (\(unchanged.count) file(s) unchanged)\n" }
        return out
    }
}
