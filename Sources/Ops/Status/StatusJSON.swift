import Foundation
import HTTP
import JSON
import Support

/// The `joelclaw status --json` document, schema `joelclaw.status.v1`.
///
/// Stable contract for agents (see README "joelclaw status --json"): keys
/// always appear, in this order, with `null` where a value is unknown; new
/// keys may be added, none are renamed or removed within v1.
///
/// ```
/// {"schema":"joelclaw.status.v1","ok":bool,"checkedAt":"<RFC 3339 UTC>","durationMs":int,
///  "summary":{"up":int,"degraded":int,"down":int,"unknown":int},
///  "machines":[{"name":str,"description":str|null,"address":str,
///    "services":[{"name":str,"kind":str,"state":"up|degraded|down|unknown",
///      "port":int|null,"memoryBytes":int|null,"latencyMs":int,"detail":str}]}]}
/// ```
public enum StatusJSON {
    public static let schema = "joelclaw.status.v1"

    public static func document(_ report: StatusReport) -> JSON {
        var summary = JSONObject()
        for state in HealthState.allCases { summary[state.rawValue] = .number(JSONNumber(report.count(state))) }
        return .object(JSONObject([
            ("schema", .string(schema)),
            ("ok", .bool(report.ok)),
            ("checkedAt", .string(timestamp(report.checkedAt))),
            ("durationMs", .number(JSONNumber(Int((report.duration * 1000).rounded())))),
            ("summary", .object(summary)),
            ("machines", .array(report.machines.map(machine))),
        ]))
    }

    static func machine(_ m: StatusReport.MachineEntry) -> JSON {
        .object(JSONObject([
            ("name", .string(m.name)),
            ("description", m.description.map(JSON.string) ?? .null),
            ("address", .string(m.address)),
            ("services", .array(m.services.map(service))),
        ]))
    }

    static func service(_ s: ServiceStatus) -> JSON {
        .object(JSONObject([
            ("name", .string(s.service)),
            ("kind", .string(s.kind.rawValue)),
            ("state", .string(s.state.rawValue)),
            ("port", s.port.map { .number(JSONNumber($0)) } ?? .null),
            ("memoryBytes", s.memoryBytes.map { .number(JSONNumber($0)) } ?? .null),
            ("latencyMs", .number(JSONNumber(Int((s.latency * 1000).rounded())))),
            ("detail", .string(s.detail)),
        ]))
    }

    /// RFC 3339 UTC with milliseconds, e.g. `2026-02-16T17:28:00.000Z`.
    static func timestamp(_ date: Date) -> String {
        UTCTimestamp.rfc3339(milliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }
}
