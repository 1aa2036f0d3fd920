import Engine
import Foundation
import InngestProtocol
import InteropScenarios
import Testing
import HTTP
import TestSupport

/// The interop scenarios (Tests/InteropScenarios) on the embedded engine: the same
/// functions, checks and API reads that bench/interop/real-server.sh runs against a
/// real Inngest server, so a function behaves the same on both. Differences found
/// between the two are fixed in the engine or listed in bench/interop/README.md.
///
/// The engine runs as deployed by default: a signing key and an event key, every
/// call signed and verified (the SDK in cloud mode), and the server's own retry
/// schedule (15 s plus up to 30 s of jitter before a first retry), so the retry
/// scenarios prove the grace a function gets, not a test-only shortcut.
@Suite(.serialized) struct EmbeddedEngineInteropTests {
    /// One engine and one app for every scenario, started by the first test that needs it.
    static let stage = Stage()

    /// The engine, its directory and the app live as long as the test process.
    actor Stage {
        struct Started: Sendable {
            let app: InteropApp
            let sync: InteropApp.Outcome
            let engine: EmbeddedEngine
            let directory: TemporaryDirectory
        }
        private var started: Task<Started, any Error>?

        func app() async throws -> (InteropApp, InteropApp.Outcome) {
            let task = started ?? Task { try await Self.start() }
            started = task
            let stage = try await task.value
            return (stage.app, stage.sync)
        }

        private static func start() async throws -> Started {
            let directory = try TemporaryDirectory("interop-engine")
            let signingKey = "signkey-test-" + String(repeating: "7e", count: 16)
            var config = EmbeddedEngineConfiguration(databasePath: directory.file("engine.sqlite"))
            config.port = 0
            config.synchronous = .normal
            config.signingKey = signingKey
            config.eventKeys = ["interop-event-key"]
            let engine = EmbeddedEngine(configuration: config, client: SocketHTTPClient())
            try engine.start()
            let sdk = try InngestConfiguration(mode: .cloud, signingKey: try SigningKey(parsing: signingKey),
                                               eventKey: "interop-event-key",
                                               apiBaseURL: engine.baseURL, eventAPIBaseURL: engine.baseURL)
            let app = try InteropApp(configuration: sdk, serverURL: engine.baseURL, apiBearer: signingKey,
                                     logSink: SilentLogSink())
            return Started(app: app, sync: await app.run(InteropApp.syncScenarioName), engine: engine, directory: directory)
        }
    }

    @Test func theAppSyncsWithEveryFunction() async throws {
        let (_, sync) = try await Self.stage.app()
        #expect(sync.passed, "\(sync.detail)")
    }
}

/// Each scenario as its own test case, run concurrently like real-server.sh runs them.
@Suite struct EmbeddedEngineScenarioTests {
    @Test(arguments: InteropApp.scenarioNames)
    func scenario(_ name: String) async throws {
        let (app, sync) = try await EmbeddedEngineInteropTests.stage.app()
        try #require(sync.passed, "sync failed: \(sync.detail)")
        let outcome = await app.run(name)
        #expect(outcome.passed, "\(name): \(outcome.detail)")
    }
}

struct SilentLogSink: InngestLogSink {
    func log(_ level: InngestLogLevel, _ message: String, fields: [(String, String)]) {}
}
