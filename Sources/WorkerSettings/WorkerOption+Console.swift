extension WorkerOption {
    public static let consoleOptions: [WorkerOption] = [consolePath, inventory]

    /// Where the web console is served on the worker's own server; `off` serves none.
    /// Only lower-case letters, digits, `-`, `_` and `/`, so no `..`, query or
    /// escape can make it shadow another route.
    public static let consolePath = WorkerOption(flag: "console-path", environment: "JOELCLAW_CONSOLE_PATH", defaultValue: "/console",
                                                 summary: "path of the web console on this server, or off", check: { value in
        if value == "off" { return nil }
        guard value.hasPrefix("/"), value.count > 1, value.count <= 64,
              value.utf8.allSatisfy({ $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
                  || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return "must be off or a path such as /console (lower-case letters, digits, - _ /)" }
        guard !value.hasPrefix("/api/"), value != "/health", value != "/metrics" else { return "is taken by another route" }
        return nil
    })

    /// The inventory the console's Services page checks (as `joelclaw status` does).
    public static let inventory = WorkerOption(flag: "inventory", environment: "JOELCLAW_INVENTORY", defaultValue: "infra/inventory.json",
                                               summary: "inventory file for the console's Services page (missing: page says so)",
                                               check: filePath(allowEmpty: false))
}
