import Foundation

/// `joelclaw infra apply [--dry-run]`.
public struct InfraApplyCommand: CLICommand {
    public static let name = "apply"
    public static let abstract = "Render, validate and install infra/ files; restart only what changed."
    public static let discussion = """
    Renders the templates listed in infra/infra.json with settings from the
    environment (JOELCLAW_<NAME>), $JOELCLAW_INFRA_CONFIG (default
    ~/.config/joelclaw/infra.env) and the manifest's defaults; validates every
    file (plist structure, Caddyfile sites against the inventory, YAML shape, and
    plutil/caddy/docker compose when installed); prints the plan; then installs
    each changed unit atomically and restarts it (launchctl bootout/bootstrap or
    kickstart, docker compose up -d, kubectl apply). Unchanged files cause no
    restarts, so running it twice changes nothing the second time. On a failed
    restart the unit's files are restored and the command stops.
    """
    public static let arguments = ArgumentSpec(
        options: [
            .init("root", value: "dir", help: "Install under this directory instead of / (default: $JOELCLAW_INFRA_ROOT or /)."),
            .init("only", value: "groups", help: "Comma-separated groups: launchd, compose, k8s (default: $JOELCLAW_INFRA_GROUPS or the manifest's)."),
        ],
        flags: [.init("dry-run", short: "n", help: "Validate and print the plan; install and restart nothing.")])

    var root: String?
    var only: [String]?
    var dryRun: Bool

    public init(_ parsed: ParsedArguments) throws {
        root = parsed.option("root")
        only = parsed.option("only").map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        dryRun = parsed.flag("dry-run")
        if let only, only.isEmpty || only.contains("") { throw UsageError("--only needs group names, e.g. --only launchd,compose") }
    }

    public func run(in context: CLIContext) async throws -> ExitCode {
        let infraDir = "\(context.repositoryRoot)/infra"
        let manifest: InfraManifest
        let settings: InfraSettings
        let inventory = try Inventory.load(from: context.inventoryPath)
        do {
            manifest = try InfraManifest.load(from: "\(infraDir)/infra.json")
            let settingsFile = context.environment["JOELCLAW_INFRA_CONFIG"].map(context.absolute)
                ?? context.environment["HOME"].map { "\($0)/.config/joelclaw/infra.env" }
            settings = try InfraSettings.forMachine(of: inventory, defaults: manifest.settings, environment: context.environment,
                                                    repositoryRoot: context.repositoryRoot, settingsFile: settingsFile)
        } catch {
            throw CommandFailure("\(error)", exitCode: .configuration)
        }
        let groups = only ?? context.environment["JOELCLAW_INFRA_GROUPS"].map { $0.split(separator: ",").map(String.init) } ?? manifest.defaultGroups
        let known = Set(manifest.files.map(\.group))
        if let bad = groups.first(where: { !known.contains($0) }) {
            throw UsageError("Unknown group '\(bad)'; the manifest has \(known.sorted().joined(separator: ", "))")
        }
        let root = context.absolute(self.root ?? context.environment["JOELCLAW_INFRA_ROOT"] ?? "/")
        let applier = InfraApplier(infraDirectory: infraDir, root: root, settings: settings, inventory: inventory,
                                   commands: context.commands, output: context.stdout)
        do {
            try await applier.apply(manifest, groups: groups, dryRun: dryRun)
        } catch let e as InfraError {
            throw CommandFailure(e.message, exitCode: e.isInvalidConfiguration ? .configuration : .failure)
        }
        return .success
    }
}
