import Foundation
import Subprocess
import InngestProtocol
import JSON
import Ops

/// `system/health-check` (every 5 minutes, and on
/// `system/health.requested`): check every service in the ops inventory, the
/// worker's own function count, the configured remote HTTP services and SSH
/// hosts, and (when configured) the Tailscale peers. Each probe is bounded by its timeout, so a hung service costs its
/// timeout and nothing more.
///
/// Transitions, not states, are reported: a component that starts failing
/// gets one system-log line and is listed in one `system/health.degraded`
/// event; when it passes again, one line and `system/health.recovered`.
/// A component that stays down does not repeat every five minutes.
public enum HealthCheckFunction {
    public static let id = "system/health-check"

    public static func make(_ services: FunctionServices, registeredFunctionCount: Int) -> InngestFunction {
        InngestFunction(id: id, name: "System health check",
                        triggers: [.cron("*/5 * * * *"), .event("system/health.requested")],
                        config: FunctionConfiguration(retries: 1, concurrency: [.init(limit: 1)])) { ctx in
            let components = try await ctx.step.run("check-services") {
                try await check(services, expectedFunctions: services.config.health.expectedFunctionCount ?? registeredFunctionCount)
            }

            let transitions = try await ctx.step.run("record-transitions") {
                try services.database.recordHealth(components.map { ($0.name, !$0.isFailing, $0.detail) }, now: services.now())
                    .map { ComponentHealth(name: $0.component, kind: "", state: $0.ok ? "up" : "down", detail: $0.detail) }
            }
            let degraded = transitions.filter(\.isFailing).map(\.name)
            let recovered = transitions.filter { !$0.isFailing }.map(\.name)

            if !transitions.isEmpty {
                try await ctx.step.run("log-transitions") {
                    for t in transitions {
                        let action = t.isFailing ? "degraded" : "recovered"
                        try services.log(id: "run:\(ctx.runId):health:\(t.name):\(action)", action: action, tool: t.name,
                                         detail: t.isFailing ? "\(t.name) unavailable: \(t.detail)" : "\(t.name) healthy",
                                         reason: id)
                    }
                }
            }
            let all: JSON = .array(components.map { c in
                ["name": .string(c.name), "kind": .string(c.kind), "state": .string(c.state), "detail": .string(c.detail)]
            })
            if !degraded.isEmpty {
                try await ctx.step.sendEvent("emit-degraded", InngestEvent(name: "system/health.degraded", data: [
                    "degraded": .array(degraded.map { .string($0) }), "services": all,
                ]))
                try await ctx.step.run("notify-gateway") {
                    await services.notify("system.health.degraded", ["prompt": .string(HealthReport.markdown(components)),
                                                                     "degraded": .array(degraded.map { .string($0) })])
                }
            }
            if !recovered.isEmpty {
                try await ctx.step.sendEvent("emit-recovered", InngestEvent(name: "system/health.recovered", data: [
                    "recovered": .array(recovered.map { .string($0) }), "services": all,
                ]))
            }
            let failing = components.filter(\.isFailing).map(\.name)
            return HealthCheckResult(status: failing.isEmpty ? "healthy" : "degraded", failing: failing,
                                     newlyDegraded: degraded, recovered: recovered, services: components)
        }
    }

    /// Runs every probe concurrently through the ops health checker.
    static func check(_ services: FunctionServices, expectedFunctions: Int) async throws -> [ComponentHealth] {
        let config = services.config.health
        var targets: [(machine: Machine, service: Service)] = []
        if FileManager.default.fileExists(atPath: config.inventoryPath) {
            targets += try Inventory.load(from: config.inventoryPath).services
        }
        let local = Machine(name: "worker", services: [])
        targets.append((local, Service(name: "functions", kind: .http, checks: [
            .http(url: config.workerURL, expectStatus: HealthCheck.successStatuses,
                  report: JSONReport(path: config.workerCountPath, label: "functions", minimum: Double(expectedFunctions))),
        ], timeout: config.timeout)))
        for remote in config.httpServices {
            targets.append((Machine(name: "remote", services: []), Service(name: remote.name, kind: .http, checks: [
                .http(url: remote.url, expectStatus: HealthCheck.successStatuses, report: nil),
            ], timeout: config.timeout)))
        }
        for host in config.sshHosts {
            let target = HealthReport.sshTarget(host)
            targets.append((Machine(name: target.host, address: target.host, services: []),
                            Service(name: "ssh", kind: .ssh, ports: [target.port], checks: [.ssh(host: target.host, port: target.port)],
                                    timeout: config.timeout)))
        }
        async let tailnet = tailscale(services)
        let checked = await services.healthChecker.check(targets).map { status in
            ComponentHealth(name: "\(status.machine)/\(status.service)", kind: status.kind.rawValue, state: status.state.rawValue,
                            detail: status.detail)
        }
        return checked + (await tailnet)
    }

    /// `tailscale status --json`: one component per (watched) peer; the
    /// command failing or hanging is one `tailscale/status` component down.
    static func tailscale(_ services: FunctionServices) async -> [ComponentHealth] {
        let config = services.config.health
        guard let command = config.tailscaleCommand else { return [] }
        do {
            let result = try await services.commands.runChecked(Command(command + ["status", "--json"], timeout: config.timeout))
            return try TailscaleStatus.peers(result.stdout, watched: config.tailscalePeers).map { peer in
                ComponentHealth(name: "tailscale/\(peer.host)", kind: "tailscale", state: peer.online ? "up" : "down",
                                detail: peer.online ? "online" : "offline")
            }
        } catch {
            return [ComponentHealth(name: "tailscale/status", kind: "tailscale", state: "down", detail: "\(error)")]
        }
    }
}

public struct HealthCheckResult: Codable, Sendable, Equatable {
    /// `healthy` or `degraded`.
    public var status: String
    public var failing: [String]
    public var newlyDegraded: [String]
    public var recovered: [String]
    public var services: [ComponentHealth]
}
