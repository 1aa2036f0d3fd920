import Foundation

/// The outcome of `joelclaw status`: every checked service, grouped by machine
/// in inventory order, plus when and how long. Rendered as a table for people
/// (`StatusTable`) or as JSON for agents (`StatusJSON`).
public struct StatusReport: Sendable, Equatable {
    public struct MachineEntry: Sendable, Equatable {
        public var name: String
        public var description: String?
        public var address: String
        public var services: [ServiceStatus]
    }

    public var machines: [MachineEntry]
    public var checkedAt: Date
    /// Wall time of the whole check, seconds.
    public var duration: Double

    public init(machines: [MachineEntry], checkedAt: Date, duration: Double) {
        self.machines = machines
        self.checkedAt = checkedAt
        self.duration = duration
    }

    /// Groups `statuses` under the inventory's machines (machines without a
    /// checked service are left out, e.g. when filtered by `--machine`).
    public init(inventory: Inventory, statuses: [ServiceStatus], checkedAt: Date, duration: Double) {
        machines = inventory.machines.compactMap { m in
            let mine = statuses.filter { $0.machine == m.name }
            return mine.isEmpty ? nil : MachineEntry(name: m.name, description: m.description, address: m.address, services: mine)
        }
        self.checkedAt = checkedAt
        self.duration = duration
    }

    public var allServices: [ServiceStatus] { machines.flatMap(\.services) }

    /// True only when every service is up.
    public var ok: Bool { allServices.allSatisfy { $0.state == .up } }

    public func count(_ state: HealthState) -> Int { allServices.filter { $0.state == state }.count }
}
