import Foundation
import JSON
import Testing
@testable import Ops

/// Every file under infra/ renders and is valid for its kind.
@Suite struct InfraFilesTests {
    @Test func everyTemplateRendersWithoutLeftoverPlaceholders() throws {
        let files = try RenderedInfra.all()
        #expect(files.count == 10)
        for f in files {
            #expect(!f.content.contains("{{"), "\(f.file.source)")
            #expect(!f.content.contains("/Users/joel"), "\(f.file.source) hard-codes a person's path")
            #expect(f.target.hasPrefix("/Users/test/"), "\(f.target)")
        }
    }

    @Test(arguments: ["com.joel.system-bus-worker", "com.joel.caddy", "com.joel.vault-log-sync", "com.joel.adr-sync-watcher"])
    func launchdPlistsParseWithRequiredKeys(label: String) throws {
        let f = try RenderedInfra.file("launchd/\(label).plist")
        let plist = try PropertyListSerialization.propertyList(from: Data(f.content.utf8), options: [], format: nil)
        let dict = try #require(plist as? [String: Any])
        #expect(dict["Label"] as? String == label)
        let args = try #require(dict["ProgramArguments"] as? [String])
        #expect(args.first?.hasPrefix("/") == true)
        #expect((dict["StandardErrorPath"] as? String)?.hasPrefix("/Users/test/.local/log/") == true)
        #expect(f.target == "/Users/test/Library/LaunchAgents/\(label).plist")
        if label == "com.joel.adr-sync-watcher" {
            #expect(dict["WatchPaths"] as? [String] == ["/Users/test/joelclaw/docs/decisions"])
            #expect(args == ["/Users/test/joelclaw/.build/release/joelclaw", "send", "system/adr.edited"])
        } else {
            #expect(dict["KeepAlive"] as? Bool == true)
            #expect(dict["RunAtLoad"] as? Bool == true)
        }
        if label == "com.joel.system-bus-worker" {
            #expect(args == ["/Users/test/joelclaw/start.sh"])
            #expect(dict["WorkingDirectory"] as? String == "/Users/test/joelclaw")
        }
        try InfraValidator.checkPlist(f.content, expectedLabel: label)
    }

    @Test func caddyfileSitesAndUpstreamsMatchTheInventory() throws {
        let f = try RenderedInfra.file("caddy/Caddyfile")
        let caddy = try Caddyfile(parsing: f.content)
        let inventory = try Inventory.load(from: "\(Repository.root)/infra/inventory.json")
        let proxy = try #require(inventory.machine(named: "panda")?.services.first { $0.name == "caddy" })
        let sites = Dictionary(uniqueKeysWithValues: caddy.sites.map { ($0.ports[0], $0.upstreams) })
        #expect(Set(sites.keys) == Set(proxy.routes.map(\.listen)))
        for route in proxy.routes {
            #expect(sites[route.listen]?.compactMap(Caddyfile.port(ofUpstream:)) == [route.upstreamPort], "site :\(route.listen)")
        }
        #expect(Set(proxy.ports) == Set(caddy.sites.flatMap(\.ports)))
        #expect(caddy.snippets["tailnet_tls"]?.first { $0.name == "tls" }?.arguments == ["/Users/test/.local/certs/localhost.crt", "/Users/test/.local/certs/localhost.key"])
        #expect(caddy.globalOptions.first?.name == "admin")
        try InfraValidator.checkRoutes(caddy, against: inventory, proxyUnit: "com.joel.caddy", source: "Caddyfile")
    }

    @Test func composeFileParsesWithEveryDockerServiceOfTheInventory() async throws {
        let f = try RenderedInfra.file("docker/docker-compose.yml")
        let docs = try await RenderedInfra.yamlDocuments(f.content)
        let compose = try #require(docs.first)
        #expect(compose["name"] == "system-bus")
        let services = try #require(compose["services"]?.objectValue)
        let inventory = try Inventory.load(from: "\(Repository.root)/infra/inventory.json")
        let docker = inventory.services.filter { $0.service.kind == .docker }.map(\.service)
        #expect(Set(services.keys) == Set(docker.map(\.name)))
        for s in docker {
            let entry = try #require(services[s.name])
            #expect(entry["image"]?.stringValue?.isEmpty == false)
            #expect(entry["healthcheck"]?["test"] != nil, "\(s.name) has no healthcheck")
            #expect(entry["restart"] == "unless-stopped")
            #expect(s.unit == "system-bus-\(s.name)-1", "container name the inventory checks")
            let published = (entry["ports"]?.arrayValue ?? []).compactMap { $0.stringValue?.split(separator: ":").dropLast().last.flatMap { Int($0) } }
            #expect(Set(published) == Set(s.ports), "\(s.name) ports")
        }
        #expect(services["inngest"]?["command"]?[3] == "http://host.docker.internal:3111/api/inngest")
    }

    @Test func kubernetesManifestsAreStatefulSetsWithProbesVolumesAndNodePorts() async throws {
        var kinds: [String: [JSON]] = [:]
        for source in ["k8s/namespace.yaml", "k8s/inngest.yaml", "k8s/redis.yaml", "k8s/qdrant.yaml"] {
            for doc in try await RenderedInfra.yamlDocuments(try RenderedInfra.file(source).content) {
                #expect(doc["apiVersion"] != nil && doc["metadata"]?["name"] != nil, "\(source)")
                kinds[doc["kind"]?.stringValue ?? "?", default: []].append(doc)
            }
        }
        #expect(kinds["Namespace"]?.first?["metadata"]?["name"] == "joelclaw")
        let sets = try #require(kinds["StatefulSet"])
        #expect(Set(sets.compactMap { $0["metadata"]?["name"]?.stringValue }) == ["inngest", "redis", "qdrant"])
        for set in sets {
            let name = set["metadata"]?["name"]?.stringValue ?? "?"
            #expect(set["metadata"]?["namespace"] == "joelclaw")
            let container = try #require(set.value(atPath: "spec.template.spec.containers")?[0])
            #expect(container["livenessProbe"] != nil, "\(name) liveness")
            #expect(container["readinessProbe"] != nil, "\(name) readiness")
            let claim = try #require(set.value(atPath: "spec.volumeClaimTemplates")?[0])
            #expect(claim.value(atPath: "spec.resources.requests.storage")?.stringValue?.hasSuffix("Gi") == true)
            let mounts = container["volumeMounts"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(mounts.contains(claim.value(atPath: "metadata.name")?.stringValue ?? "-"), "\(name) mounts its claim")
        }
        let services = try #require(kinds["Service"])
        let names = services.compactMap { $0["metadata"]?["name"]?.stringValue }
        #expect(Set(names) == ["inngest-svc", "redis", "qdrant"])
        #expect(!names.contains("inngest"), "a Service named inngest injects INNGEST_PORT and crashes inngest")
        #expect(sets.first { $0["metadata"]?["name"] == "inngest" }?.value(atPath: "spec.serviceName") == "inngest-svc")
        let expectedPorts: [String: Set<Int>] = ["inngest-svc": [8288, 8289], "redis": [6379], "qdrant": [6333, 6334]]
        for svc in services {
            let name = svc["metadata"]?["name"]?.stringValue ?? "?"
            #expect(svc.value(atPath: "spec.type") == "NodePort")
            let ports = svc.value(atPath: "spec.ports")?.arrayValue ?? []
            for p in ports { #expect(p["nodePort"] == p["port"], "\(name): NodePort on the original port") }
            #expect(Set(ports.compactMap { $0["nodePort"]?.intValue }) == expectedPorts[name])
        }
    }

    @Test func yamlShapeCheckCatchesTabsAndMissingKeys() {
        #expect(throws: InfraError.self) { try InfraValidator.checkYAMLShape("services:\n\tx: 1\n", source: "c", requiredTopLevel: ["services"]) }
        #expect(throws: InfraError.self) { try InfraValidator.checkYAMLShape("apiVersion: v1\nkind: X\n", source: "k", requiredTopLevel: ["apiVersion", "kind", "metadata"]) }
        #expect(throws: Never.self) { try InfraValidator.checkYAMLShape("a: 1\n---\na: 2\n", source: "k", requiredTopLevel: ["a"]) }
    }

    @Test func plistCheckRejectsWrongLabelAndRelativeProgram() {
        let plist = { (label: String, program: String) in
            "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>Label</key><string>\(label)</string><key>ProgramArguments</key><array><string>\(program)</string></array></dict></plist>"
        }
        #expect(throws: Never.self) { try InfraValidator.checkPlist(plist("a", "/bin/true"), expectedLabel: "a") }
        #expect(throws: InfraError.self) { try InfraValidator.checkPlist(plist("a", "/bin/true"), expectedLabel: "b") }
        #expect(throws: InfraError.self) { try InfraValidator.checkPlist(plist("a", "true"), expectedLabel: "a") }
        #expect(throws: InfraError.self) { try InfraValidator.checkPlist("<plist><dict>", expectedLabel: nil) }
    }
}
