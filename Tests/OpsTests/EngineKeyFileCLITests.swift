import Engine
import Foundation
import HTTP
import InngestProtocol
import JSON
import Testing
@testable import Ops
import TestSupport

/// `joelclaw send` and `runs` against a real embedded engine, closed with the
/// keys of its key file as the worker runs it: with nothing configured, the CLI
/// reads the same file and is let in; without the file it is refused.
@Suite struct EngineKeyFileCLITests {
    @Test func sendAndRunsUseTheEngineKeyFile() async throws {
        let dir = try TemporaryDirectory()
        let keyFile = "\(dir.path)/engine-keys.json"
        let (keys, created) = try EngineKeys.loadOrCreate(path: keyFile)
        #expect(created)
        var configuration = EmbeddedEngineConfiguration(databasePath: "\(dir.path)/engine.sqlite")
        configuration.port = 0
        configuration.synchronous = .normal
        configuration.signingKey = keys.signingKey
        configuration.eventKeys = [keys.eventKey]
        let engine = EmbeddedEngine(configuration: configuration, client: SocketHTTPClient())
        try engine.start()
        let port = engine.port

        let env = ["JOELCLAW_ENGINE_ADDRESS": "127.0.0.1:\(port)", "JOELCLAW_ENGINE_KEYS": keyFile]
        let sent = await CLIHarness(environment: env).run(["send", "test/cli", "--json"])
        #expect(sent.code == .success, "\(sent.stderr)")
        let id = try #require(try JSON(parsing: sent.stdout)["ids"]?[0]?.stringValue)
        let runs = await CLIHarness(environment: env).run(["runs", "--event", id])
        #expect(runs.code == .success, "\(runs.stderr)")
        #expect(runs.stdout == "event \(id)\n  no runs\n")
        // Without --event: the engine lists its recent events (GET /v1/events), newest first.
        let second = await CLIHarness(environment: env).run(["send", "test/cli.second", "--json"])
        let secondID = try #require(try JSON(parsing: second.stdout)["ids"]?[0]?.stringValue)
        let recent = await CLIHarness(environment: env).run(["runs", "--limit", "5"])
        #expect(recent.code == .success, "\(recent.stderr)")
        #expect(recent.stdout == "event \(secondID) (test/cli.second)\n  no runs\nevent \(id) (test/cli)\n  no runs\n")

        // Without the key file (or with INNGEST_DEV, the open mode) the closed engine refuses.
        let keyless = ["JOELCLAW_ENGINE_ADDRESS": "127.0.0.1:\(port)", "JOELCLAW_ENGINE_KEYS": "\(dir.path)/missing.json"]
        let refused = await CLIHarness(environment: keyless).run(["send", "test/cli"])
        #expect(refused.code == .failure)
        #expect(refused.stderr.contains("(401)"), "\(refused.stderr)")
        let unauthorized = await CLIHarness(environment: keyless).run(["runs", "--event", id])
        #expect(unauthorized.code == .failure)
        #expect(unauthorized.stderr.contains("HTTP 401"), "\(unauthorized.stderr)")
        #expect(!refused.stderr.contains(keys.eventKey) && !unauthorized.stderr.contains(keys.eventKey))
        await engine.stop()
    }

    @Test func anUnsafeKeyFileIsAConfigurationError() async throws {
        let dir = try TemporaryDirectory()
        let keyFile = "\(dir.path)/engine-keys.json"
        _ = try EngineKeys.loadOrCreate(path: keyFile)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyFile)
        let r = await CLIHarness(environment: ["JOELCLAW_ENGINE_KEYS": keyFile]).run(["send", "x/y"])
        #expect(r.code == .configuration)
        #expect(r.stderr.contains("chmod 600"), "\(r.stderr)")
    }
}
