import Foundation
import JSON

/// What a check may default from: the service and machine it belongs to.
struct CheckContext {
    var kind: ServiceKind
    var unit: String
    var address: String
    var ports: [Int]
    var path: String
}

/// Decodes a service's `check` object, filling omitted fields from the service
/// (its unit, its machine's address, its first port).
struct HealthCheckDecoder {
    func decode(_ value: JSON, _ c: CheckContext) throws -> HealthCheck {
        let f = try Fields(value, path: c.path, allowed: ["type", "url", "expectStatus", "report", "host", "port",
                                                          "send", "expect", "label", "container", "unit", "namespace", "pod", "mustRun", "$comment"])
        let type = try f.optionalString("type") ?? c.kind.rawValue
        switch type {
        case "http":
            let url = try f.string("url")
            guard let parsed = URL(string: url), let scheme = parsed.scheme, ["http", "https"].contains(scheme), parsed.host != nil else {
                throw InventoryError(path: "\(c.path).url", "expected an http:// or https:// URL, got \"\(url)\"")
            }
            return .http(url: url, expectStatus: try expectStatus(f), report: try report(f))
        case "tcp":
            return .tcp(host: try f.optionalString("host") ?? c.address, port: try port(f, c),
                        send: try f.optionalString("send"), expect: try f.optionalString("expect"))
        case "ssh":
            return .ssh(host: try f.optionalString("host") ?? c.address, port: try f.has("port") ? Fields.port(f.value("port"), path: "\(c.path).port") : 22)
        case "launchd":
            return .launchd(label: try f.optionalString("label") ?? c.unit, mustRun: try f.optionalBool("mustRun") ?? true)
        case "docker":
            return .docker(container: try f.optionalString("container") ?? c.unit)
        case "systemd":
            return .systemd(unit: try f.optionalString("unit") ?? c.unit)
        case "kubernetes":
            return .kubernetes(namespace: try f.optionalString("namespace") ?? "default", pod: try f.optionalString("pod") ?? c.unit)
        default:
            throw InventoryError(path: "\(c.path).type", "unknown check type \"\(type)\"; expected http, tcp, ssh, launchd, docker, systemd or kubernetes")
        }
    }

    /// The check a service gets when the inventory gives none.
    func defaultCheck(_ c: CheckContext) throws -> HealthCheck {
        switch c.kind {
        case .docker: return .docker(container: c.unit)
        case .launchd: return .launchd(label: c.unit, mustRun: true)
        case .systemd: return .systemd(unit: c.unit)
        case .kubernetes: return .kubernetes(namespace: "default", pod: c.unit)
        case .ssh: return .ssh(host: c.address, port: c.ports.first ?? 22)
        case .tcp:
            guard let p = c.ports.first else { throw InventoryError(path: c.path, "a tcp service needs a check or at least one port") }
            return .tcp(host: c.address, port: p, send: nil, expect: nil)
        case .http:
            throw InventoryError(path: c.path, "an http service needs a check with a url")
        }
    }

    func port(_ f: Fields, _ c: CheckContext) throws -> Int {
        if f.has("port") { return try Fields.port(f.value("port"), path: "\(c.path).port") }
        guard let p = c.ports.first else { throw InventoryError(path: "\(c.path).port", "missing, and the service lists no ports") }
        return p
    }

    /// `expectStatus`: a status (`200`), a class (`"2xx"`), or an array of those.
    func expectStatus(_ f: Fields) throws -> [ClosedRange<Int>] {
        guard f.has("expectStatus") else { return HealthCheck.successStatuses }
        let path = "\(f.path).expectStatus"
        let value = try f.value("expectStatus")
        let items = value.arrayValue ?? [value]
        guard !items.isEmpty else { throw InventoryError(path: path, "expected at least one status") }
        return try items.map { item in
            if let n = item.intValue, (100...599).contains(n) { return n...n }
            if let s = item.stringValue, s.count == 3, s.hasSuffix("xx"), let d = Int(s.prefix(1)), (1...5).contains(d) {
                return (d * 100)...(d * 100 + 99)
            }
            throw InventoryError(path: path, "expected a status 100...599 or a class like \"2xx\", got \(item)")
        }
    }

    func report(_ f: Fields) throws -> JSONReport? {
        guard f.has("report") else { return nil }
        let r = try Fields(f.value("report"), path: "\(f.path).report", allowed: ["path", "label", "minimum"])
        return JSONReport(path: try r.string("path"), label: try r.string("label"), minimum: try r.optionalDouble("minimum"))
    }
}
