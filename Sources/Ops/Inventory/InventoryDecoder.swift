import Foundation
import JSON

extension Inventory {
    /// Parses and validates an inventory document (see `infra/inventory.json`).
    /// Unknown keys are errors, so a typo never silently disables a check.
    public init(json text: String) throws {
        let document: JSON
        do { document = try JSON(parsing: text) } catch {
            throw InventoryError(path: "", "not valid JSON: \(error)")
        }
        self = try InventoryDecoder().decode(document)
    }

    /// Reads and parses the inventory file at `path`.
    public static func load(from path: String) throws -> Inventory {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InventoryError(path: "", "cannot read \(path)")
        }
        do {
            let document = try JSON(parsing: data)
            return try InventoryDecoder().decode(document)
        } catch let error as InventoryError {
            throw InventoryError(path: error.path, "\(error.message) (in \(path))")
        } catch {
            throw InventoryError(path: "", "\(path) is not valid JSON: \(error)")
        }
    }
}

/// Turns the JSON document into the typed model, field by field, keeping the
/// JSON path at hand for error messages.
struct InventoryDecoder {
    func decode(_ document: JSON) throws -> Inventory {
        let root = try Fields(document, path: "", allowed: ["schemaVersion", "machines", "$comment"])
        let version = try root.int("schemaVersion")
        guard version == Inventory.schemaVersion else {
            throw InventoryError(path: "schemaVersion", "unsupported version \(version); this build reads \(Inventory.schemaVersion)")
        }
        let machines = try root.array("machines").enumerated().map { i, m in
            try machine(m, path: "machines[\(i)]")
        }
        try requireUnique(machines.map(\.name), path: "machines", what: "machine name")
        return Inventory(machines: machines)
    }

    func machine(_ value: JSON, path: String) throws -> Machine {
        let f = try Fields(value, path: path, allowed: ["name", "description", "address", "commandPrefix", "bind", "services", "$comment"])
        let name = try f.name("name")
        let address = try f.optionalString("address") ?? "127.0.0.1"
        let prefix: [String] = try f.optionalArray("commandPrefix")?.enumerated().map { i, v -> String in
            guard let s = v.stringValue, !s.isEmpty else {
                throw InventoryError(path: "\(path).commandPrefix[\(i)]", "expected a non-empty string")
            }
            return s
        } ?? []
        let bind = try f.optionalString("bind") ?? Machine.defaultBind
        guard BindAddress.isSpecific(bind) else {
            throw InventoryError(path: "\(path).bind", "\"\(bind)\" is not a specific IP address (a wildcard such as 0.0.0.0 or :: would publish on every interface)")
        }
        let services = try resolveRoutes(f.array("services").enumerated().map { i, s in
            try service(s, path: "\(path).services[\(i)]", address: address)
        }, path: path)
        try requireUnique(services.map(\.name), path: "\(path).services", what: "service name")
        return Machine(name: name, description: try f.optionalString("description"), address: address,
                       commandPrefix: prefix, bind: bind, services: services)
    }

    func service(_ value: JSON, path: String, address: String) throws -> Service {
        let f = try Fields(value, path: path, allowed: ["name", "kind", "unit", "ports", "check", "timeoutSeconds", "routes", "note", "$comment"])
        let name = try f.name("name")
        let kindText = try f.string("kind")
        guard let kind = ServiceKind(rawValue: kindText) else {
            throw InventoryError(path: "\(path).kind", "unknown kind \"\(kindText)\"; expected one of \(ServiceKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let unit = try f.optionalString("unit") ?? name
        let ports: [Int] = try f.optionalArray("ports")?.enumerated().map { i, p -> Int in
            try Fields.port(p, path: "\(path).ports[\(i)]")
        } ?? []
        let timeout = try f.optionalDouble("timeoutSeconds") ?? Service.defaultTimeout
        guard timeout > 0, timeout <= 30 else {
            throw InventoryError(path: "\(path).timeoutSeconds", "expected seconds in (0, 30], got \(timeout)")
        }
        let context = CheckContext(kind: kind, unit: unit, address: address, ports: ports, path: "\(path).check")
        let checks = try decodeChecks(f, context)
        return Service(name: name, kind: kind, unit: unit, ports: ports, checks: checks, timeout: timeout,
                       routes: try rawRoutes(f), note: try f.optionalString("note"))
    }

    /// Routes as written; upstream ports are filled in once the machine's
    /// services are all known (`resolveRoutes`).
    func rawRoutes(_ f: Fields) throws -> [ProxyRoute] {
        try (f.optionalArray("routes") ?? []).enumerated().map { i, r in
            let path = "\(f.path).routes[\(i)]"
            let route = try Fields(r, path: path, allowed: ["listen", "upstream", "upstreamPort"])
            let port = route.has("upstreamPort") ? try Fields.port(route.value("upstreamPort"), path: "\(path).upstreamPort") : 0
            return ProxyRoute(listen: try Fields.port(route.value("listen"), path: "\(path).listen"),
                              upstream: try route.string("upstream"), upstreamPort: port)
        }
    }

    /// Every route must name a service on the same machine that has a port.
    func resolveRoutes(_ services: [Service], path: String) throws -> [Service] {
        try services.enumerated().map { si, service in
            var s = service
            s.routes = try service.routes.enumerated().map { ri, route in
                let where_ = "\(path).services[\(si)].routes[\(ri)].upstream"
                guard let target = services.first(where: { $0.name == route.upstream }) else {
                    throw InventoryError(path: where_, "no service \"\(route.upstream)\" on this machine")
                }
                var r = route
                if r.upstreamPort == 0 {
                    guard let p = target.ports.first else {
                        throw InventoryError(path: where_, "service \"\(route.upstream)\" lists no ports; give upstreamPort")
                    }
                    r.upstreamPort = p
                }
                return r
            }
            return s
        }
    }

    /// `check` is one object or an array of them; absent means the kind's default.
    func decodeChecks(_ f: Fields, _ context: CheckContext) throws -> [HealthCheck] {
        let decoder = HealthCheckDecoder()
        guard f.has("check") else { return [try decoder.defaultCheck(context)] }
        let value = try f.value("check")
        guard let list = value.arrayValue else { return [try decoder.decode(value, context)] }
        guard !list.isEmpty else { throw InventoryError(path: context.path, "expected at least one check") }
        return try list.enumerated().map { i, c in
            var indexed = context
            indexed.path = "\(context.path)[\(i)]"
            return try decoder.decode(c, indexed)
        }
    }

    func requireUnique(_ names: [String], path: String, what: String) throws {
        var seen = Set<String>()
        for n in names where !seen.insert(n).inserted {
            throw InventoryError(path: path, "duplicate \(what) \"\(n)\"")
        }
    }
}
