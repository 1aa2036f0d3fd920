import Foundation
import Testing
@testable import Ops

@Suite struct InventoryTests {
    @Test func committedInventoryLoadsAndDescribesTheNetwork() throws {
        let inventory = try Inventory.load(from: "\(Repository.root)/infra/inventory.json")
        #expect(inventory.machines.map(\.name) == ["panda", "clanker-001", "three-body"])
        let panda = try #require(inventory.machine(named: "panda"))
        #expect(panda.services.map(\.name) == ["inngest", "qdrant", "redis", "worker", "caddy", "vault-sync", "adr-sync"])
        let worker = try #require(panda.services.first { $0.name == "worker" })
        #expect(worker.kind == .launchd)
        #expect(worker.unit == "com.joel.system-bus-worker")
        #expect(worker.ports == [3111])
        #expect(worker.checks.count == 2)
        let caddy = try #require(panda.services.first { $0.name == "caddy" })
        #expect(caddy.routes == [ProxyRoute(listen: 9443, upstream: "inngest", upstreamPort: 8388),
                                 ProxyRoute(listen: 8290, upstream: "inngest", upstreamPort: 8389),
                                 ProxyRoute(listen: 3443, upstream: "worker", upstreamPort: 3111)])
        let nas = try #require(inventory.machine(named: "three-body")?.services.first)
        #expect(nas.checks == [.ssh(host: "three-body", port: 22)])
    }

    @Test func defaultsComeFromTheServiceAndMachine() throws {
        let inventory = try Inventory(json: """
        {"schemaVersion": 1, "machines": [{"name": "m", "address": "127.0.0.1", "services": [
          {"name": "db", "kind": "tcp", "ports": [5432]},
          {"name": "box", "kind": "ssh"},
          {"name": "job", "kind": "launchd", "unit": "com.example.job"},
          {"name": "web", "kind": "docker", "check": {"type": "http", "url": "http://127.0.0.1:80/", "expectStatus": ["2xx", 301]}}
        ]}]}
        """)
        let s = inventory.machines[0].services
        #expect(s[0].checks == [.tcp(host: "127.0.0.1", port: 5432, send: nil, expect: nil)])
        #expect(s[1].checks == [.ssh(host: "127.0.0.1", port: 22)])
        #expect(s[2].checks == [.launchd(label: "com.example.job", mustRun: true)])
        #expect(s[3].checks == [.http(url: "http://127.0.0.1:80/", expectStatus: [200...299, 301...301], report: nil)])
        #expect(s[3].unit == "web")
        #expect(s[0].timeout == Service.defaultTimeout)
    }

    /// Each bad document is rejected with the path of the offending field.
    @Test(arguments: [
        (#"{"machines": []}"#, "schemaVersion: missing"),
        (#"{"schemaVersion": 2, "machines": []}"#, "schemaVersion: unsupported version 2"),
        (#"{"schemaVersion": 1, "machines": [{"name": "m", "services": [], "adress": "x"}]}"#, "machines[0].adress: unknown key"),
        (#"{"schemaVersion": 1, "machines": [{"name": "m", "services": [{"name": "a", "kind": "vm"}]}]}"#, "machines[0].services[0].kind: unknown kind \"vm\""),
        (#"{"schemaVersion": 1, "machines": [{"name": "m", "services": [{"name": "a", "kind": "tcp", "ports": [70000]}]}]}"#, "machines[0].services[0].ports[0]: expected an integer port"),
        (#"{"schemaVersion": 1, "machines": [{"name": "m", "services": [{"name": "a", "kind": "tcp"}]}]}"#, "machines[0].services[0].check: a tcp service needs a check or at least one port"),
        (#"{"schemaVersion": 1, "machines": [{"name": "m", "services": [{"name": "a", "kind": "ssh"}, {"name": "a", "kind": "ssh"}]}]}"#, "machines[0].services: duplicate service name \"a\""),
        (#"{"schemaVersion": 1, "machines": [{"name": "m", "services": []}, {"name": "m", "services": []}]}"#, "machines: duplicate machine name \"m\""),
        (#"{"schemaVersion": 1, "machines": [{"name": "m", "services": [{"name": "a", "kind": "http", "check": {"url": "ftp://x/"}}]}]}"#, "machines[0].services[0].check.url: expected an http:// or https:// URL"),
        (#"{"schemaVersion": 1, "machines": [{"name": "m", "services": [{"name": "a", "kind": "http", "check": {"url": "http://x/", "expectStatus": 99}}]}]}"#, "check.expectStatus: expected a status 100...599"),
        (#"{"schemaVersion": 1, "machines": [{"name": "m", "services": [{"name": "a", "kind": "ssh", "timeoutSeconds": 0}]}]}"#, "timeoutSeconds: expected seconds in (0, 30]"),
        (#"{"schemaVersion": 1, "machines": [{"name": "m", "services": [{"name": "p", "kind": "launchd", "routes": [{"listen": 443, "upstream": "nope"}]}]}]}"#, "routes[0].upstream: no service \"nope\" on this machine"),
        (#"{"schemaVersion": 1, "machines": [{"name": "bad name", "services": []}]}"#, "machines[0].name: \"bad name\" may contain only"),
        (#"{"schemaVersion": 1, "machines": [{"name": "m", "services": [{"name": "a", "kind": "ssh", "check": []}]}]}"#, "expected at least one check"),
        (#"{"schemaVersion": 1, "machines": [{"name": "m", "bind": "0.0.0.0", "services": []}]}"#, "machines[0].bind: \"0.0.0.0\" is not a specific IP address"),
        (#"{"schemaVersion": 1, "machines": [{"name": "m", "bind": "::", "services": []}]}"#, "machines[0].bind: \"::\" is not a specific IP address"),
        (#"{"schemaVersion": 1, "machines": [{"name": "m", "bind": "localhost", "services": []}]}"#, "machines[0].bind: \"localhost\" is not"),
        (#"{"schemaVersion": 1, "machines": [{"name": "m", "bind": "", "services": []}]}"#, "machines[0].bind:"),
        ("{not json", "not valid JSON"),
    ])
    func rejectsBadDocuments(document: String, message: String) {
        #expect {
            try Inventory(json: document)
        } throws: { error in
            let text = "\(error)"
            return text.contains(message) && text.hasPrefix("inventory: ")
        }
    }

    @Test func missingFileNamesThePath() {
        #expect(throws: InventoryError.self) { try Inventory.load(from: "/nonexistent/inventory.json") }
        do { _ = try Inventory.load(from: "/nonexistent/inventory.json") } catch {
            #expect("\(error)".contains("/nonexistent/inventory.json"))
        }
    }
}
