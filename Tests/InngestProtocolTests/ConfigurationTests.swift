import Testing
@testable import InngestProtocol

@Suite struct ConfigurationTests {
    @Test func defaultsToCloud() throws {
        let c = try InngestConfiguration(environment: [:])
        #expect(c.mode == .cloud)
        #expect(c.apiBaseURL == "https://api.inngest.com")
        #expect(c.eventAPIBaseURL == "https://inn.gs")
        #expect(c.effectiveEventKey == nil)
    }

    @Test(arguments: ["0", "false", "FALSE", ""])
    func devZeroOrFalseMeansCloud(_ value: String) throws {
        #expect(try InngestConfiguration(environment: ["INNGEST_DEV": value]).mode == .cloud)
    }

    @Test(arguments: ["1", "true"])
    func devOneMeansLocalDevServer(_ value: String) throws {
        let c = try InngestConfiguration(environment: ["INNGEST_DEV": value])
        #expect(c.mode == .dev)
        #expect(c.apiBaseURL == "http://127.0.0.1:8288")
        #expect(c.eventAPIBaseURL == "http://127.0.0.1:8288")
        #expect(c.effectiveEventKey == "NO_EVENT_KEY_SET")
    }

    @Test func devOriginWithoutScheme() throws {
        let c = try InngestConfiguration(environment: ["INNGEST_DEV": "localhost:9999/"])
        #expect(c.mode == .dev)
        #expect(c.apiBaseURL == "http://localhost:9999")
    }

    @Test func precedenceOfOrigins() throws {
        let env = ["INNGEST_DEV": "http://127.0.0.1:1111", "INNGEST_BASE_URL": "http://127.0.0.1:2222",
                   "INNGEST_API_BASE_URL": "http://127.0.0.1:3333"]
        let c = try InngestConfiguration(environment: env)
        #expect(c.apiBaseURL == "http://127.0.0.1:3333")
        #expect(c.eventAPIBaseURL == "http://127.0.0.1:2222")
        let d = try InngestConfiguration(environment: ["INNGEST_DEV": "http://127.0.0.1:1111"])
        #expect(d.apiBaseURL == "http://127.0.0.1:1111")
        let e = try InngestConfiguration(environment: ["INNGEST_DEV": "1", "INNGEST_EVENT_API_BASE_URL": "http://127.0.0.1:4444"])
        #expect(e.eventAPIBaseURL == "http://127.0.0.1:4444")
        #expect(e.apiBaseURL == "http://127.0.0.1:8288")
    }

    @Test func selfHostedCloudModeWithBaseURL() throws {
        let c = try InngestConfiguration(environment: ["INNGEST_DEV": "0", "INNGEST_BASE_URL": "http://127.0.0.1:8288",
                                                       "INNGEST_SIGNING_KEY": "deadbeef", "INNGEST_EVENT_KEY": "k",
                                                       "INNGEST_ENV": "branch-1"])
        #expect(c.mode == .cloud)
        #expect(c.apiBaseURL == "http://127.0.0.1:8288")
        #expect(c.signingKey?.hexBody == "deadbeef")
        #expect(c.eventKey == "k")
        #expect(c.environmentName == "branch-1")
    }

    @Test func serveOriginAndPath() throws {
        let c = try InngestConfiguration(environment: ["INNGEST_SERVE_ORIGIN": "worker.local:3111", "INNGEST_SERVE_PATH": "api/inngest"])
        #expect(c.serveOrigin == "https://worker.local:3111")
        #expect(c.servePath == "/api/inngest")
    }

    @Test(arguments: [
        ["INNGEST_SIGNING_KEY": "signkey-prod-nothex"],
        ["INNGEST_SIGNING_KEY_FALLBACK": "xyz"],
        ["INNGEST_DEV": "::nonsense::"],
        ["INNGEST_BASE_URL": "ftp://x"],
    ])
    func badValuesAreErrors(_ env: [String: String]) {
        #expect(throws: InngestConfigurationError.self) { try InngestConfiguration(environment: env) }
    }
}
