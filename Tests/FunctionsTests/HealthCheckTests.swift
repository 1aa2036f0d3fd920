import Foundation
import HTTP
import InngestProtocol
import JSON
import Testing
@testable import Functions
import TestSupport

/// A value tests flip while servers read it.
final class Switch: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Bool
    init(_ value: Bool) { self.value = value }
    var isOn: Bool { get { lock.lock(); defer { lock.unlock() }; return value } set { lock.lock(); value = newValue; lock.unlock() } }
}

extension ExternalTools {
    @Suite struct HealthCheckTests {
        /// Real loopback services, some up, some down, one hanging, one real sshd:
        /// the first run reports each new failure once (log line + degraded
        /// event), an unchanged second run reports nothing, and when services come
        /// back a recovered event and lines follow.
        @Test func degradedThenQuietThenRecovered() async throws {
            let searchUp = Switch(false)
            let workerComplete = Switch(false)
            let served = ServedCount()
            let worker = try LoopbackServer { _ in .json(#"{"function_count":\#(workerComplete.isOn ? served.value : served.value - 1),"mode":"dev"}"#) }
            let search = try LoopbackServer { _ in searchUp.isOn ? .json("{}") : .json(#"{"error":"index rebuilding"}"#, status: 503) }
            let pdfBrain = try LoopbackServer { _ in .json(#"{"docs":700}"#) }
            let hanging = try LoopbackServer { _ in
                try? await Task.sleep(nanoseconds: 30_000_000_000)
                return .json("{}")
            }
            let sshd = try await LoopbackSSHD()
            let closedPort = try LoopbackSSHD.freePort()

            let h = try FunctionsHarness { c, dir in
                try dir.write("inventory.json", """
                {"schemaVersion": 1, "machines": [{"name": "mini", "address": "127.0.0.1", "services": [
                  {"name": "search", "kind": "http", "check": {"type": "http", "url": "\(search.url)/health"}},
                  {"name": "redis", "kind": "tcp", "ports": [\(closedPort)], "timeoutSeconds": 1},
                  {"name": "stuck", "kind": "http", "timeoutSeconds": 0.5, "check": {"type": "http", "url": "\(hanging.url)/"}}
                ]}]}
                """)
                c.health.workerURL = worker.url + "/api/inngest"
                c.health.httpServices = [HTTPServiceCheck(name: "pdf-brain", url: pdfBrain.url + "/")]
                c.health.sshHosts = ["\(sshd.user)@127.0.0.1:\(sshd.port)"]
                c.health.timeout = 2
            }
            served.value = servedFunctionCount(h.inngest.functions)

            let first = try await h.run("system/health-check", "system/health.requested", [:])
            let output = try #require(first.outcome.output, "\(first.outcome)")
            let stuck = output["services"]?.arrayValue?.first { $0["name"] == "mini/stuck" }
            #expect(stuck?["detail"] == "no response within 0.5s", "the hanging service is cut by its own 0.5 s timeout")
            let states = Dictionary(uniqueKeysWithValues: (output["services"]?.arrayValue ?? []).map {
                ($0["name"]!.stringValue!, $0["state"]!.stringValue!)
            })
            #expect(states == ["mini/search": "degraded", "mini/redis": "down", "mini/stuck": "down", "worker/functions": "degraded",
                               "remote/pdf-brain": "up", "127.0.0.1/ssh": "up"])
            #expect(output["status"] == "degraded")
            let failing: Set<String> = ["mini/search", "mini/redis", "mini/stuck", "worker/functions"]
            #expect(Set(output["newlyDegraded"]?.arrayValue?.compactMap(\.stringValue) ?? []) == failing)

            let degraded = try #require(h.sentEvents.first { $0.name == "system/health.degraded" })
            #expect(Set(degraded.data["degraded"]?.arrayValue?.compactMap(\.stringValue) ?? []) == failing)
            #expect(degraded.data["services"]?.arrayValue?.count == 6)
            var lines = try h.systemLogLines()
            #expect(lines.count == 4)
            #expect(lines.allSatisfy { $0["action"] == "degraded" && $0["reason"] == "system/health-check" })
            #expect(Set(lines.compactMap { $0["tool"]?.stringValue }) == failing)
            let workerLine = try #require(lines.first { $0["tool"] == "worker/functions" })
            #expect(workerLine["detail"]?.stringValue?.contains("\(served.value - 1)") == true)

            // Nothing changed: no new events, no new lines.
            let second = try await h.run("system/health-check", "system/health.requested", [:])
            #expect(second.outcome.output?["newlyDegraded"] == [])
            #expect(h.sentEvents.count == 1)
            #expect(try h.systemLogLines().count == 4)

            // Search and the worker recover.
            searchUp.isOn = true
            workerComplete.isOn = true
            let third = try await h.run("system/health-check", "system/health.requested", [:])
            #expect(Set(third.outcome.output?["recovered"]?.arrayValue?.compactMap(\.stringValue) ?? []) == ["mini/search", "worker/functions"])
            let recovered = try #require(h.sentEvents.first { $0.name == "system/health.recovered" })
            #expect(Set(recovered.data["recovered"]?.arrayValue?.compactMap(\.stringValue) ?? []) == ["mini/search", "worker/functions"])
            lines = try h.systemLogLines()
            #expect(lines.count == 6)
            #expect(lines.suffix(2).allSatisfy { $0["action"] == "recovered" })
            #expect(third.outcome.output?["status"] == "degraded", "redis and the stuck service are still down")
        }

        @Test func healthyNetworkIsQuiet() async throws {
            let served = ServedCount()
            let worker = try LoopbackServer { _ in .json(#"{"function_count":\#(served.value)}"#) }
            let h = try FunctionsHarness { c, _ in c.health.workerURL = worker.url + "/api/inngest" }
            served.value = servedFunctionCount(h.inngest.functions)
            let report = try await h.run("system/health-check", "system/health.requested", [:])
            #expect(report.outcome.output?["status"] == "healthy")
            #expect(report.completedSteps == ["check-services", "record-transitions"])
            #expect(h.sentEvents.isEmpty)
            #expect(try h.systemLogLines().isEmpty)
        }

        /// Tailscale peers from `tailscale status --json` (a stand-in printing
        /// its shape); a hanging `tailscale` is cut by the probe timeout.
        @Test func tailscalePeersAreChecked() async throws {
            let served = ServedCount()
            let worker = try LoopbackServer { _ in .json(#"{"function_count":\#(served.value)}"#) }
            let h = try FunctionsHarness { c, dir in
                c.health.workerURL = worker.url + "/api/inngest"
                c.health.tailscaleCommand = [try writeScript(dir, "fake-tailscale.sh", #"""
                    [ "$1 $2" = "status --json" ] || exit 64
                    cat <<'JSON'
                    {"Self":{"HostName":"panda","Online":true},"Peer":{
                      "nodekey:aa":{"HostName":"clanker-001","DNSName":"clanker-001.example.ts.net.","Online":true},
                      "nodekey:bb":{"HostName":"three-body","Online":false},
                      "nodekey:cc":{"HostName":"phone","Online":false}}}
                    JSON
                    """#)]
                c.health.tailscalePeers = ["clanker-001", "three-body", "studio"]
            }
            served.value = servedFunctionCount(h.inngest.functions)
            let report = try await h.run("system/health-check", "system/health.requested", [:])
            let states = Dictionary(uniqueKeysWithValues: (report.outcome.output?["services"]?.arrayValue ?? []).map {
                ($0["name"]!.stringValue!, $0["state"]!.stringValue!)
            })
            #expect(states == ["worker/functions": "up", "tailscale/clanker-001": "up", "tailscale/three-body": "down",
                               "tailscale/studio": "down"])

            let hung = try FunctionsHarness { c, dir in
                c.health.workerURL = worker.url + "/api/inngest"
                c.health.timeout = 0.5
                c.health.tailscaleCommand = [try writeScript(dir, "hung-tailscale.sh", "sleep 30")]
            }
            let cut = try await hung.run("system/health-check", "system/health.requested", [:])
            #expect(cut.outcome.output?["failing"] == ["tailscale/status"])
            let status = cut.outcome.output?["services"]?.arrayValue?.first { $0["name"] == "tailscale/status" }
            #expect(status?["detail"]?.stringValue?.hasSuffix("did not finish within 0.5 s and was killed") == true, "\(status ?? nil)")
        }

        @Test func brokenInventoryFailsWithItsPath() async throws {
            let h = try FunctionsHarness { _, dir in try dir.write("inventory.json", #"{"schemaVersion": 1, "machines": [{"name": "x"}]}"#) }
            let report = try await h.run("system/health-check", "system/health.requested", [:])
            #expect(report.stepErrors["check-services"] == 2)
            #expect(report.outcome.errorMessage?.contains("inventory.json") == true)
        }
    }
}

/// The function count the worker stand-in reports, set once the harness
/// knows how many functions this worker serves.
final class ServedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int {
        get { lock.lock(); defer { lock.unlock() }; return count }
        set { lock.lock(); count = newValue; lock.unlock() }
    }
}
