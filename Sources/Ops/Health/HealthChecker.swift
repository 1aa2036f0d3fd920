import Foundation
import Support
import Subprocess
import HTTP
import JSON

/// Checks services: every check in parallel, each bounded by its own timeout,
/// so one hung host costs its timeout and nothing more.
///
/// Used by `joelclaw status` and by the `system/health-check` function. The
/// command-based probes (launchd, docker, systemd, kubernetes) go through
/// `commands`; HTTP probes through `http`; TCP and SSH probes open sockets.
public struct HealthChecker: Sendable {
    public var commands: any CommandRunner
    public var http: any HTTPClient

    public init(commands: any CommandRunner = ProcessCommandRunner(), http: any HTTPClient = SocketHTTPClient()) {
        self.commands = commands
        self.http = http
    }

    /// Checks every service in the inventory; results keep inventory order.
    public func check(_ inventory: Inventory) async -> [ServiceStatus] {
        await check(inventory.services)
    }

    /// Checks the given services concurrently; results keep the given order.
    public func check(_ services: [(machine: Machine, service: Service)]) async -> [ServiceStatus] {
        await withTaskGroup(of: (Int, ServiceStatus).self) { group in
            for (i, entry) in services.enumerated() {
                group.addTask { (i, await self.check(entry.service, on: entry.machine)) }
            }
            var results = [ServiceStatus?](repeating: nil, count: services.count)
            for await (i, status) in group { results[i] = status }
            return results.map { $0! }
        }
    }

    /// Checks one service; never takes much longer than `service.timeout`.
    public func check(_ service: Service, on machine: Machine) async -> ServiceStatus {
        let start = ContinuousClock.now
        let timeout = service.timeout
        let results = await withTaskGroup(of: (Int, ProbeResult).self) { group in
            for (i, check) in service.checks.enumerated() {
                group.addTask {
                    let fallback = { @Sendable in ProbeResult(.down, "no answer within \(TCPProbe.format(timeout))s") }
                    let r: ProbeResult
                    if let blocking = Self.blockingProbe(check, timeout: timeout) {
                        r = await blockingWithDeadline(timeout + 0.25, blocking, fallback: fallback)
                    } else {
                        r = await withDeadline(timeout + 0.25) {
                            await self.probe(check, machine: machine, timeout: timeout)
                        } fallback: { fallback() }
                    }
                    return (i, r)
                }
            }
            var ordered = [ProbeResult?](repeating: nil, count: service.checks.count)
            for await (i, r) in group { ordered[i] = r }
            return ordered.compactMap { $0 }
        }
        let result = Self.combine(results)
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        var detail = result.detail
        if result.state == .up, let note = service.note, detail.isEmpty { detail = note }
        return ServiceStatus(machine: machine.name, service: service.name, kind: service.kind, state: result.state,
                             latency: seconds, detail: detail, port: service.ports.first, memoryBytes: result.memoryBytes)
    }

    /// A service's verdict from its probes: the worst state; the details of
    /// the probes that are not up (or all of them when everything is up).
    static func combine(_ results: [ProbeResult]) -> ProbeResult {
        guard let worst = results.map(\.state).max() else { return ProbeResult(.unknown, "no checks") }
        let relevant = worst == .up ? results : results.filter { $0.state != .up }
        let detail = relevant.map(\.detail).filter { !$0.isEmpty }.joined(separator: "; ")
        return ProbeResult(worst, detail, memoryBytes: results.lazy.compactMap(\.memoryBytes).first)
    }

    /// Runs one probe. Commands are prefixed with the machine's `commandPrefix`.
    public func probe(_ check: HealthCheck, machine: Machine, timeout: Double) async -> ProbeResult {
        switch check {
        case let .http(url, expect, report):
            return await probeHTTP(url: url, expect: expect, report: report, timeout: timeout)
        case .tcp, .ssh:
            let body = Self.blockingProbe(check, timeout: timeout)!
            return await onDedicatedThread(body)
        case let .launchd(label, mustRun):
            return await CommandProbe(runner: commands, prefix: machine.commandPrefix, timeout: timeout).launchd(label, mustRun: mustRun)
        case let .docker(container):
            return await CommandProbe(runner: commands, prefix: machine.commandPrefix, timeout: timeout).docker(container)
        case let .systemd(unit):
            return await CommandProbe(runner: commands, prefix: machine.commandPrefix, timeout: timeout).systemd(unit)
        case let .kubernetes(namespace, pod):
            return await CommandProbe(runner: commands, prefix: machine.commandPrefix, timeout: timeout).kubernetes(namespace, pod)
        }
    }

    /// The socket probes, as blocking closures to run on their own thread;
    /// `nil` for probes that are asynchronous already. The deadline is fixed now,
    /// before any thread starts.
    static func blockingProbe(_ check: HealthCheck, timeout: Double) -> (@Sendable () -> ProbeResult)? {
        let deadline = Date().addingTimeInterval(timeout)
        switch check {
        case let .tcp(host, port, send, expect):
            return {
                verdict(TCPProbe.probe(host: host, port: port, deadline: deadline, send: send, awaitReply: expect != nil),
                        expect: expect, what: "\(host):\(port)")
            }
        case let .ssh(host, port):
            return { verdict(TCPProbe.probe(host: host, port: port, deadline: deadline, awaitReply: true), expect: "SSH-", what: "ssh \(host):\(port)") }
        default:
            return nil
        }
    }

    /// TCP outcome → verdict. A reply that does not start with `expect` means
    /// something answers on the port, but not the expected service.
    static func verdict(_ outcome: TCPProbeOutcome, expect: String?, what: String) -> ProbeResult {
        switch outcome {
        case .connected(let reply):
            guard let expect else { return ProbeResult(.up, "accepting connections") }
            let line = (reply ?? "").split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            if line.hasPrefix(expect) { return ProbeResult(.up, String(line.prefix(60))) }
            return ProbeResult(.degraded, "unexpected reply \"\(line.prefix(40))\" (expected \(expect)…)")
        case .noReply(let why): return ProbeResult(.degraded, "connected, but \(why)")
        case .failed(let why): return ProbeResult(.down, why)
        }
    }

    func probeHTTP(url: String, expect: [ClosedRange<Int>], report: JSONReport?, timeout: Double) async -> ProbeResult {
        let response: HTTPClientResponse
        do {
            response = try await http.send(HTTPClientRequest(method: "GET", url: url, timeout: timeout))
        } catch HTTPClientError.timedOut {
            return ProbeResult(.down, "no response within \(TCPProbe.format(timeout))s")
        } catch HTTPClientError.transport(let why) {
            return ProbeResult(.down, why)
        } catch HTTPClientError.invalidURL(let url) {
            return ProbeResult(.unknown, "invalid URL \(url)")
        } catch {
            return ProbeResult(.down, "\(error)")
        }
        guard expect.contains(where: { $0.contains(response.status) }) else {
            return ProbeResult(.degraded, "HTTP \(response.status)")
        }
        guard let report else { return ProbeResult(.up, "HTTP \(response.status)") }
        guard let body = try? JSON(parsing: response.body), let n = body.value(atPath: report.path)?.doubleValue else {
            return ProbeResult(.degraded, "HTTP \(response.status), no number at \(report.path)")
        }
        let text = "\(n == n.rounded() ? String(Int(n)) : String(n)) \(report.label)"
        if let min = report.minimum, n < min {
            return ProbeResult(.degraded, "\(text), expected at least \(min == min.rounded() ? String(Int(min)) : String(min))")
        }
        return ProbeResult(.up, text)
    }
}
