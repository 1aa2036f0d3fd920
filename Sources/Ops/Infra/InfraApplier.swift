import Foundation
import Subprocess

/// `joelclaw infra apply`: render → validate everything → plan → install and
/// restart unit by unit.
///
/// Nothing is installed until every file renders and validates. Each unit is
/// installed atomically and then restarted; if a restart fails, that unit's
/// files are put back as they were (and the old job reloaded), later units
/// are left untouched, and the error says exactly which state things are in.
public struct InfraApplier: Sendable {
    public var infraDirectory: String
    public var root: String
    public var settings: InfraSettings
    public var inventory: Inventory?
    public var commands: any CommandRunner
    public var files: any FileStore
    public var output: any TextOutput

    public init(infraDirectory: String, root: String, settings: InfraSettings, inventory: Inventory?,
                commands: any CommandRunner, files: any FileStore = LocalFileStore(), output: any TextOutput) {
        self.infraDirectory = infraDirectory
        self.root = root
        self.settings = settings
        self.inventory = inventory
        self.commands = commands
        self.files = files
        self.output = output
    }

    /// Renders the selected files; throws on the first template error.
    public func render(_ manifest: InfraManifest, groups: [String]) throws -> [RenderedFile] {
        try manifest.files.filter { groups.contains($0.group) }.map { file in
            guard let template = files.read("\(infraDirectory)/\(file.source)") else {
                throw InfraError("cannot read template infra/\(file.source)")
            }
            let content = try TemplateRenderer(values: settings.values, escape: file.format.escape)
                .render(String(decoding: template, as: UTF8.self), name: "infra/\(file.source)")
            let target = try TemplateRenderer(values: settings.values).render(file.target, name: "target of \(file.source)")
            guard target.hasPrefix("/") else { throw InfraError("target of \(file.source) is not absolute: \(target)") }
            let base = root == "/" ? "" : (root.hasSuffix("/") ? String(root.dropLast()) : root)
            return RenderedFile(file: file, target: target, installPath: base + target, content: content)
        }
    }

    /// Validates every rendered file (staged in a temporary folder for the tools).
    func validate(_ rendered: [RenderedFile]) async throws -> [String] {
        let stage = FileManager.default.temporaryDirectory.appendingPathComponent("joelclaw-infra-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: stage) }
        let validator = InfraValidator(inventory: inventory, commands: commands)
        var notes: [String] = []
        for (i, file) in rendered.enumerated() {
            let staged = "\(stage)/\(i)/\((file.target as NSString).lastPathComponent)"
            try files.write(Array(file.content.utf8), to: staged)
            do { notes += try await validator.validate(file, stagedAt: staged) } catch let e as InfraError {
                throw InfraError(e.message.hasPrefix(file.file.source) ? e.message : "infra/\(file.file.source): \(e.message)")
            }
        }
        return notes
    }

    public func plan(_ rendered: [RenderedFile]) -> InfraPlan {
        var changed: [RenderedFile] = [], unchanged: [RenderedFile] = [], created: Set<String> = []
        for f in rendered {
            let current = files.read(f.installPath)
            if current == nil { created.insert(f.installPath) }
            if current == Array(f.content.utf8) { unchanged.append(f) } else { changed.append(f) }
        }
        return InfraPlan(changed: changed, unchanged: unchanged, created: created,
                         launchdDomain: settings.values["LAUNCHD_DOMAIN"] ?? "gui/\(getuid())")
    }

    /// The whole command. Returns the plan it carried out (or would have, on a dry run).
    @discardableResult
    public func apply(_ manifest: InfraManifest, groups: [String], dryRun: Bool) async throws -> InfraPlan {
        let rendered: [RenderedFile]
        let notes: [String]
        do {
            rendered = try render(manifest, groups: groups)
            notes = try await validate(rendered)
        } catch let e as InfraError {
            throw InfraError("nothing was installed: \(e.message)", invalidConfiguration: true)
        } catch {
            throw InfraError("nothing was installed: \(error)", invalidConfiguration: true)
        }
        let plan = plan(rendered)
        output.write(plan.describe(root: root, groups: groups, notes: notes))
        if dryRun {
            output.write("Dry run: nothing installed, nothing restarted.\n")
            return plan
        }
        for (i, unit) in plan.units.enumerated() {
            try await carryOut(unit, remaining: plan.units[(i + 1)...].map(\.name), done: plan.units[..<i].map(\.name))
        }
        if !plan.isEmpty { output.write("Applied \(plan.units.count) change(s).\n") }
        return plan
    }

    func carryOut(_ unit: InfraPlan.Unit, remaining: [String], done: [String]) async throws {
        let previous = unit.files.map { files.read($0.installPath) }
        for f in unit.files { try files.write(Array(f.content.utf8), to: f.installPath) }
        for (i, command) in unit.commands.enumerated() {
            output.write("$ \(command)\n")
            let failure: String?
            do {
                let r = try await commands.run(command)
                failure = r.succeeded || unit.tolerated.contains(i) ? nil
                    : "exited \(r.exitCode): \((r.stderrText.isEmpty ? r.stdoutText : r.stderrText).trimmingCharacters(in: .whitespacesAndNewlines).prefix(400))"
            } catch {
                failure = "\(error)"
            }
            guard let failure else { continue }
            let restored = await rollBack(unit, previous: previous)
            throw InfraError("""
            \(unit.name): `\(command)` \(failure)
            \(restored)
            Applied before this: \(done.isEmpty ? "nothing" : done.joined(separator: ", ")). Not attempted: \(remaining.isEmpty ? "nothing" : remaining.joined(separator: ", ")).
            """)
        }
    }

    /// Puts the unit's files back and, for a launchd job that existed before,
    /// loads the old definition again so the service keeps running.
    func rollBack(_ unit: InfraPlan.Unit, previous: [[UInt8]?]) async -> String {
        var lines: [String] = []
        for (f, old) in zip(unit.files, previous) {
            do {
                if let old { try files.write(old, to: f.installPath) } else { try files.remove(f.installPath) }
                lines.append(old == nil ? "removed new \(f.installPath)" : "restored previous \(f.installPath)")
            } catch {
                lines.append("COULD NOT RESTORE \(f.installPath): \(error)")
            }
        }
        if let bootstrap = unit.commands.first(where: { $0.arguments.first == "bootstrap" }),
           let plistIndex = unit.files.firstIndex(where: { $0.installPath == bootstrap.arguments.last }), previous[plistIndex] != nil {
            output.write("$ \(bootstrap)  (reloading the previous definition)\n")
            let ok = (try? await commands.run(bootstrap))?.succeeded ?? false
            lines.append(ok ? "reloaded the previous job definition" : "could not reload the previous job definition; run: \(bootstrap)")
        }
        return "Rolled back: " + lines.joined(separator: "; ") + "."
    }
}
