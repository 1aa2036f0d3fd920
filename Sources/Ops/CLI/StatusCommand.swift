import Foundation

/// `joelclaw status`: every service on every machine, checked in parallel.
public struct StatusCommand: CLICommand {
    public static let name = "status"
    public static let abstract = "Show every service across machines, grouped by machine."
    public static let discussion = """
    Checks run in parallel; each is bounded by its inventory timeout, capped by
    --timeout, so the command answers in about that long even with hosts down.
    --json prints schema joelclaw.status.v1 (see README); keys are stable.
    """
    public static let arguments = ArgumentSpec(
        options: [
            .init("inventory", value: "path", help: "Inventory file (default: $JOELCLAW_INVENTORY or infra/inventory.json)."),
            .init("machine", value: "name", help: "Only check this machine."),
            .init("timeout", value: "seconds", help: "Upper bound for every check (default: 2.5)."),
        ],
        flags: [.init("json", help: "Print JSON (schema joelclaw.status.v1) instead of a table.")])

    /// Keeps the whole command under 3 s when every host is down.
    public static let defaultTimeoutCap = 2.5

    var json: Bool
    var inventoryPath: String?
    var machine: String?
    var timeoutCap: Double

    public init(_ parsed: ParsedArguments) throws {
        json = parsed.flag("json")
        inventoryPath = parsed.option("inventory")
        machine = parsed.option("machine")
        if let t = parsed.option("timeout") {
            guard let v = Double(t), v > 0, v <= 60 else { throw UsageError("--timeout must be seconds in (0, 60], got '\(t)'") }
            timeoutCap = v
        } else {
            timeoutCap = Self.defaultTimeoutCap
        }
    }

    public func run(in context: CLIContext) async throws -> ExitCode {
        let inventory = try Inventory.load(from: inventoryPath.map(context.absolute) ?? context.inventoryPath)
        var entries = inventory.services
        if let machine {
            guard inventory.machine(named: machine) != nil else {
                throw UsageError("No machine '\(machine)' in the inventory (have: \(inventory.machines.map(\.name).joined(separator: ", ")))")
            }
            entries = entries.filter { $0.machine.name == machine }
        }
        entries = entries.map { e in
            var s = e.service
            s.timeout = min(s.timeout, timeoutCap)
            return (machine: e.machine, service: s)
        }
        let checker = HealthChecker(commands: context.commands, http: context.http)
        let started = Date()
        let clock = ContinuousClock.now
        let statuses = await checker.check(entries)
        let elapsed = ContinuousClock.now - clock
        let report = StatusReport(inventory: inventory, statuses: statuses, checkedAt: started,
                                  duration: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        if json {
            context.stdout.write(StatusJSON.document(report).serialized() + "\n")
        } else {
            context.stdout.write(StatusTable(color: context.useColor, symbols: context.stdout.isTerminal).render(report))
        }
        return report.ok ? .success : .failure
    }
}
