import Engine
import Testing
@testable import Ops

/// Nothing under infra/ listens on every interface: Caddy sites and Compose
/// ports use the inventory machine's `bind`, the environment cannot widen it,
/// and Compose's Inngest keeps off the embedded engine's port.
@Suite struct InfraListenAddressTests {
    @Test func renderedComposePublishesOnlyOnLoopbackAndOffTheEmbeddedEnginePort() async throws {
        let compose = try RenderedInfra.file("docker/docker-compose.yml").content
        let services = try #require(try await RenderedInfra.yamlDocuments(compose).first?["services"]?.objectValue)
        let published = services.flatMap { $0.value["ports"]?.arrayValue ?? [] }.compactMap { $0.stringValue }
        #expect(published.count == 5)
        for entry in published { #expect(entry.hasPrefix("127.0.0.1:"), "\(entry)") }
        let hostPorts = published.compactMap { Int($0.split(separator: ":")[1]) }
        #expect(!hostPorts.contains(EmbeddedEngineConfiguration().port), "Compose's Inngest would take the embedded engine's port")
        try ListenAddressCheck.compose(compose, source: "compose")
    }

    @Test func renderedCaddySitesBindToLoopback() throws {
        let caddy = try Caddyfile(parsing: try RenderedInfra.file("caddy/Caddyfile").content)
        #expect(caddy.sites.count == 3)
        #expect(caddy.snippets["tailnet_tls"]?.first { $0.name == "bind" }?.arguments == ["127.0.0.1"])
        try ListenAddressCheck.caddy(caddy, source: "Caddyfile")
    }

    @Test func theEnvironmentCannotWidenTheBindAddress() throws {
        let settings = try RenderedInfra.settings(["JOELCLAW_BIND_ADDRESS": "0.0.0.0"])
        #expect(settings.values["BIND_ADDRESS"] == "127.0.0.1")
    }

    @Test func theInventoryNamesTheAddress() throws {
        let inventory = try Inventory(json: #"{"schemaVersion": 1, "machines": [{"name": "mini", "bind": "127.0.0.5", "services": []}, {"name": "six", "bind": "::1", "services": []}]}"#)
        let mini = try InfraSettings.forMachine(of: inventory, defaults: [("MACHINE", "mini")], environment: [:], repositoryRoot: "/r")
        #expect(mini.values["BIND_ADDRESS"] == "127.0.0.5")
        let six = try InfraSettings.forMachine(of: inventory, defaults: [("MACHINE", "six")], environment: ["JOELCLAW_BIND_ADDRESS": "::"], repositoryRoot: "/r")
        #expect(six.values["BIND_ADDRESS"] == "::1")
        #expect { try InfraSettings.forMachine(of: inventory, defaults: [("MACHINE", "gone")], environment: [:], repositoryRoot: "/r") } throws: {
            "\($0)".contains("MACHINE=gone is not a machine of the inventory")
        }
        let unnamed = try InfraSettings.forMachine(of: inventory, defaults: [], environment: ["JOELCLAW_BIND_ADDRESS": "0.0.0.0"], repositoryRoot: "/r")
        #expect(unnamed.values["BIND_ADDRESS"] == "127.0.0.1")
    }

    @Test(arguments: [
        ("- \"6379:6379\"", "names no host address"),
        ("- 6379", "names no host address"),
        ("- \"0.0.0.0:6379:6379\"", "published on 0.0.0.0"),
        ("- \"[::]:6379:6379\"", "published on ::"),
        ("- \"localhost:6379:6379\"", "published on localhost"),
    ])
    func composePortsOnEveryInterfaceAreRefused(entry: String, message: String) {
        let text = "services:\n  redis:\n    ports:\n      \(entry)\n"
        #expect { try ListenAddressCheck.compose(text, source: "c") } throws: { "\($0)".contains(message) }
    }

    @Test func composeInlinePortListsAreRefusedAndSpecificAddressesPass() throws {
        #expect(throws: InfraError.self) { try ListenAddressCheck.compose("services:\n  r:\n    ports: [\"1:1\"]\n", source: "c") }
        try ListenAddressCheck.compose("services:\n  r:\n    ports:\n      - \"127.0.0.1:1:1\"  # ok\n      - '[::1]:2:2'\n    volumes:\n      - \"a:/b\"\n", source: "c")
    }

    @Test func caddySitesWithoutASpecificBindAreRefused() throws {
        let noBind = try Caddyfile(parsing: "x.test:443 {\n\treverse_proxy 127.0.0.1:1\n}\n")
        #expect { try ListenAddressCheck.caddy(noBind, source: "C") } throws: { "\($0)".contains("has no `bind`") }
        let wildcard = try Caddyfile(parsing: "x.test:443 {\n\tbind 0.0.0.0\n\treverse_proxy 127.0.0.1:1\n}\n")
        #expect { try ListenAddressCheck.caddy(wildcard, source: "C") } throws: { "\($0)".contains("binds to 0.0.0.0") }
        let snippet = try Caddyfile(parsing: "(b) {\n\tbind ::1 127.0.0.1\n}\nx.test:443 {\n\timport b\n\treverse_proxy 127.0.0.1:1\n}\n")
        try ListenAddressCheck.caddy(snippet, source: "C")
    }
}
