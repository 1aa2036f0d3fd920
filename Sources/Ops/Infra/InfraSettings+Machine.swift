extension InfraSettings {
    /// Settings for the machine `infra apply` runs on: the `MACHINE` setting
    /// names it in the inventory, and that machine's `bind` becomes the fixed
    /// `BIND_ADDRESS` every published port and proxy site listens on (loopback
    /// when no `MACHINE` is set).
    public static func forMachine(of inventory: Inventory, defaults: [(String, String)], environment: [String: String],
                                  repositoryRoot: String, settingsFile: String? = nil) throws -> InfraSettings {
        let plain = try InfraSettings(defaults: defaults, environment: environment, repositoryRoot: repositoryRoot,
                                      settingsFile: settingsFile, fixed: ["BIND_ADDRESS": Machine.defaultBind])
        guard let name = plain.values["MACHINE"] else { return plain }
        guard let machine = inventory.machine(named: name) else {
            throw TemplateError(file: "settings", line: 0,
                                message: "MACHINE=\(name) is not a machine of the inventory (\(inventory.machines.map(\.name).joined(separator: ", ")))")
        }
        return try InfraSettings(defaults: defaults, environment: environment, repositoryRoot: repositoryRoot,
                                 settingsFile: settingsFile, fixed: ["BIND_ADDRESS": machine.bind])
    }
}
