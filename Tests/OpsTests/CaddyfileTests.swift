import Testing
@testable import Ops

@Suite struct CaddyfileTests {
    @Test func parsesSitesDirectivesQuotesAndComments() throws {
        let c = try Caddyfile(parsing: """
        # global
        {
            email "ops@example.test"
        }
        (common) {
            encode gzip
        }
        example.test:9443, :8443 {
            import common
            reverse_proxy /api/* 127.0.0.1:8288 {
                header_up Host {host}   # keep the host
                to localhost:8289
            }
            respond "a } b" 200
        }
        http://plain.test {
            reverse_proxy `localhost:3111`
        }
        """)
        #expect(c.globalOptions.map(\.name) == ["email"])
        #expect(c.globalOptions[0].arguments == ["ops@example.test"])
        #expect(c.snippets["common"]?.first?.name == "encode")
        #expect(c.sites.count == 2)
        #expect(c.sites[0].addresses == ["example.test:9443", ":8443"])
        #expect(c.sites[0].ports == [9443, 8443])
        #expect(c.sites[0].upstreams == ["127.0.0.1:8288", "localhost:8289"])
        #expect(c.sites[0].directives.last?.arguments == ["a } b", "200"])
        #expect(c.sites[1].ports == [80])
        #expect(c.sites[1].upstreams == ["localhost:3111"])
        #expect(c.sites[1].line == 16)
    }

    @Test(arguments: [
        ("a.test {\n reverse_proxy x:1\n", "line 1: block opened here is never closed"),
        ("a.test {\n respond \"open\n}\n", "unterminated quoted string"),
        ("a.test\nreverse_proxy x:1\n", "expected '{' after site address a.test"),
        ("}\n", "unexpected '}'"),
        ("a.test", "has no '{' block"),
    ])
    func rejectsBrokenFiles(text: String, message: String) {
        #expect { try Caddyfile(parsing: text) } throws: { "\($0)".contains(message) }
    }

    @Test func routesMismatchIsReported() throws {
        let inventory = try Inventory(json: """
        {"schemaVersion": 1, "machines": [{"name": "m", "services": [
          {"name": "app", "kind": "tcp", "ports": [3111]},
          {"name": "proxy", "kind": "launchd", "unit": "p", "routes": [{"listen": 3443, "upstream": "app"}]}
        ]}]}
        """)
        let good = try Caddyfile(parsing: "h:3443 {\n reverse_proxy 127.0.0.1:3111\n}\n")
        try InfraValidator.checkRoutes(good, against: inventory, proxyUnit: "p", source: "C")
        let wrongPort = try Caddyfile(parsing: "h:3443 {\n reverse_proxy 127.0.0.1:9999\n}\n")
        #expect { try InfraValidator.checkRoutes(wrongPort, against: inventory, proxyUnit: "p", source: "C") } throws: { "\($0)".contains("proxies to :9999") }
        let extra = try Caddyfile(parsing: "h:3443 {\n reverse_proxy 127.0.0.1:3111\n}\nh:7443 {\n reverse_proxy 127.0.0.1:7880\n}\n")
        #expect { try InfraValidator.checkRoutes(extra, against: inventory, proxyUnit: "p", source: "C") } throws: { "\($0)".contains("site :7443 is not in the inventory") }
        let missing = try Caddyfile(parsing: "h:9443 {\n reverse_proxy 127.0.0.1:3111\n}\n")
        #expect { try InfraValidator.checkRoutes(missing, against: inventory, proxyUnit: "p", source: "C") } throws: { "\($0)".contains("no site on :3443") }
    }
}
