import Foundation
import Subprocess
import Testing
import TestSupport
@testable import Ops

/// Checks against real loopback sockets: services that answer, refuse, or hang.
@Suite struct HealthCheckerTests {
    let machine = Machine(name: "local", address: "127.0.0.1", services: [])
    let checker = HealthChecker(commands: ProcessCommandRunner(environment: ["PATH": "/nonexistent"]))

    /// Checks expected to answer get a long timeout: they return as soon as the
    /// server answers, and the other suites sharing 2 cores can stall this
    /// process for seconds. Only checks meant to time out use short ones.
    func service(_ check: HealthCheck, timeout: Double = 10, ports: [Int] = []) -> Service {
        Service(name: "svc", kind: .http, ports: ports, checks: [check], timeout: timeout)
    }

    @Test func httpUpWhenStatusMatches() async throws {
        let server = try ScriptedTCPServer(.http(status: 200, body: "{}"))
        defer { server.stop() }
        let status = await checker.check(service(.http(url: "http://127.0.0.1:\(server.port)/health", expectStatus: HealthCheck.successStatuses, report: nil), ports: [server.port]), on: machine)
        #expect(status.state == .up)
        #expect(status.detail == "HTTP 200")
        #expect(status.port == server.port)
        #expect(server.requests.first?.hasPrefix("GET /health HTTP/1.1") == true)
    }

    @Test func httpDegradedOnUnexpectedStatus() async throws {
        let server = try ScriptedTCPServer(.http(status: 503, body: ""))
        defer { server.stop() }
        let status = await checker.check(service(.http(url: "http://127.0.0.1:\(server.port)/", expectStatus: [200...200], report: nil)), on: machine)
        #expect(status.state == .degraded)
        #expect(status.detail == "HTTP 503")
    }

    @Test func httpReportsANumberAndItsMinimum() async throws {
        let server = try ScriptedTCPServer(.http(status: 200, body: #"{"functionCount": 12}"#))
        defer { server.stop() }
        let url = "http://127.0.0.1:\(server.port)/health"
        let ok = await checker.check(service(.http(url: url, expectStatus: HealthCheck.successStatuses, report: JSONReport(path: "functionCount", label: "functions"))), on: machine)
        #expect(ok.state == .up)
        #expect(ok.detail == "12 functions")
        let short = await checker.check(service(.http(url: url, expectStatus: HealthCheck.successStatuses, report: JSONReport(path: "functionCount", label: "functions", minimum: 13))), on: machine)
        #expect(short.state == .degraded)
        #expect(short.detail == "12 functions, expected at least 13")
    }

    @Test func httpDownWhenRefused() async {
        let port = ScriptedTCPServer.closedPort()
        let status = await checker.check(service(.http(url: "http://127.0.0.1:\(port)/", expectStatus: HealthCheck.successStatuses, report: nil)), on: machine)
        #expect(status.state == .down)
    }

    @Test func httpDownWhenHangingWithinItsTimeout() async throws {
        let server = try ScriptedTCPServer(.hang)
        defer { server.stop() }
        let status = await checker.check(service(.http(url: "http://127.0.0.1:\(server.port)/", expectStatus: HealthCheck.successStatuses, report: nil), timeout: 0.5), on: machine)
        #expect(status.state == .down)
        #expect(status.detail.contains("0.5s"))
        #expect(status.latency >= 0.4, "it waited for its 0.5 s timeout")
    }

    @Test func tcpWithExpectedReply() async throws {
        let redis = try ScriptedTCPServer(.lineReply("+PONG\r\n"))
        defer { redis.stop() }
        let up = await checker.check(service(.tcp(host: "127.0.0.1", port: redis.port, send: "PING\r\n", expect: "+PONG")), on: machine)
        #expect(up.state == .up)
        let wrong = try ScriptedTCPServer(.lineReply("-ERR\r\n"))
        defer { wrong.stop() }
        let degraded = await checker.check(service(.tcp(host: "127.0.0.1", port: wrong.port, send: "PING\r\n", expect: "+PONG")), on: machine)
        #expect(degraded.state == .degraded)
        #expect(degraded.detail.contains("unexpected reply"))
    }

    @Test func sshUpOnBanner() async throws {
        let sshd = try ScriptedTCPServer(.banner("SSH-2.0-OpenSSH_9.6\r\n"))
        defer { sshd.stop() }
        let status = await checker.check(service(.ssh(host: "127.0.0.1", port: sshd.port)), on: machine)
        #expect(status.state == .up)
        #expect(status.detail == "SSH-2.0-OpenSSH_9.6")
    }

    @Test func sshDownOnUnreachableLoopbackPort() async {
        let port = ScriptedTCPServer.closedPort()
        let status = await checker.check(service(.ssh(host: "127.0.0.1", port: port)), on: machine)
        #expect(status.state == .down)
        // "refused", not "no answer within": the probe took the refusal, not its timeout.
        #expect(status.detail.localizedCaseInsensitiveContains("refused"))
    }

    @Test func sshDegradedWhenConnectedButSilent() async throws {
        let server = try ScriptedTCPServer(.hang)
        defer { server.stop() }
        let status = await checker.check(service(.ssh(host: "127.0.0.1", port: server.port), timeout: 0.6), on: machine)
        #expect(status.state == .degraded)
        #expect(status.detail.contains("no reply"))
    }

    @Test func unresolvableHostIsDown() async {
        let status = await checker.check(service(.tcp(host: "no-such-host.invalid", port: 22, send: nil, expect: nil)), on: machine)
        #expect(status.state == .down)
    }

    /// Eight hung services are checked at once: the one server they all point
    /// at holds eight connections together, which checks made one at a time
    /// (each closing its connection at its timeout) never would.
    /// bench/ops/status-hosts-down.sh measures the time this saves.
    @Test func checksRunInParallel() async throws {
        let server = try ScriptedTCPServer(.hang)
        defer { server.stop() }
        let services = (0..<8).map { i in
            Service(name: "s\(i)", kind: .http, checks: [.http(url: "http://127.0.0.1:\(server.port)/", expectStatus: [200...299], report: nil)], timeout: 3)
        }
        let results = await checker.check(Inventory(machines: [Machine(name: "m", services: services)]))
        #expect(results.map(\.service) == services.map(\.name))
        #expect(results.allSatisfy { $0.state == .down })
        #expect(server.peakConnections == 8, "at most \(server.peakConnections) checks were open at once")
    }

    @Test func serviceStateIsTheWorstOfItsChecks() async throws {
        let server = try ScriptedTCPServer(.http(status: 200, body: ""))
        defer { server.stop() }
        let closed = ScriptedTCPServer.closedPort()
        let s = Service(name: "both", kind: .http, checks: [
            .http(url: "http://127.0.0.1:\(server.port)/", expectStatus: [200...299], report: nil),
            .tcp(host: "127.0.0.1", port: closed, send: nil, expect: nil),
        ], timeout: 10)
        let status = await checker.check(s, on: machine)
        #expect(status.state == .down)
        #expect(!status.detail.contains("HTTP 200"))
    }

    @Test func statesOrderBySeverity() {
        #expect([HealthState.up, .down, .degraded].max() == .down)
        #expect([HealthState.up, .unknown].max() == .unknown)
        #expect([HealthState.up, .degraded, .unknown].max() == .degraded)
    }
}
