/// The one version-controlled description of the machines and the services on
/// them: what exists, where, and how to tell whether it is healthy.
///
/// `joelclaw status`, the `system/health-check` function and `infra apply` all
/// read this value, so a service added here is checked everywhere at once.
/// Load it with `Inventory(json:)` or `Inventory.load(from:)`; both validate the
/// whole document and name the exact field that is wrong.
public struct Inventory: Sendable, Equatable {
    /// The format version; bumped only for incompatible changes.
    public static let schemaVersion = 1

    public var machines: [Machine]

    public init(machines: [Machine]) {
        self.machines = machines
    }

    /// Every service with the machine it runs on, in document order.
    public var services: [(machine: Machine, service: Service)] {
        machines.flatMap { m in m.services.map { (machine: m, service: $0) } }
    }

    public func machine(named name: String) -> Machine? {
        machines.first { $0.name == name }
    }

    public static func == (lhs: Inventory, rhs: Inventory) -> Bool { lhs.machines == rhs.machines }
}

/// A host that runs services (or is itself checked, like a NAS reached over SSH).
public struct Machine: Sendable, Equatable {
    public var name: String
    /// Human description shown in `status` headings, e.g. "Mac Mini M4 Pro, 64 GB".
    public var description: String?
    /// Where TCP, SSH and default HTTP checks connect: a DNS name or address.
    public var address: String
    /// Prepended to every command-based check on this machine, so a systemd
    /// unit on another host is inspected with e.g. `ssh -o BatchMode=yes host`.
    /// Empty means the commands run locally.
    public var commandPrefix: [String]
    /// The one address this machine's published ports and proxy sites listen
    /// on (`infra apply` fills `{{BIND_ADDRESS}}` with it): loopback unless the
    /// inventory names another, e.g. the machine's tailnet address. Never a
    /// wildcard: nothing is published on all interfaces.
    public var bind: String
    public var services: [Service]

    public init(name: String, description: String? = nil, address: String = "127.0.0.1",
                commandPrefix: [String] = [], bind: String = Machine.defaultBind, services: [Service]) {
        self.name = name
        self.description = description
        self.address = address
        self.commandPrefix = commandPrefix
        self.bind = bind
        self.services = services
    }

    public static let defaultBind = "127.0.0.1"
}
