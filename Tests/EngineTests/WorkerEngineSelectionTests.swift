import Foundation
import HTTP
import JSON
import Testing
import TestSupport
@testable import Engine
import InngestProtocol

/// Runs the real `worker` executable and checks which engine it chooses.
@Suite("Worker engine selection", .serialized)
struct WorkerEngineSelectionTests {
    /// Starts the worker (no Inngest server configured unless `environment`
    /// names one) and waits until `marker` appears in its log.
    func run(_ arguments: [String], environment: [String: String], until marker: String) async throws -> (WorkerProcess, String) {
        let worker = try WorkerProcess(arguments: arguments, environment: environment, inngestDev: nil)
        return (worker, try await worker.waitForText(marker))
    }

    @Test func startsTheEmbeddedEngineWhenNoServerIsConfigured() async throws {
        let scratch = try TemporaryDirectory("enginetests")
        let db = scratch.file("worker-engine.sqlite")
        let (worker, log) = try await run(["--port", "0", "--engine-address", "127.0.0.1:0", "--engine-db", db],
                                           environment: [:], until: "using the embedded Inngest engine")
        defer { worker.killAndWait() }
        let enginePort = try #require(worker.embeddedEnginePort, "no engine address in: \(log)")
        let health = try await SocketHTTPClient().send(HTTPClientRequest(method: "GET", url: "http://127.0.0.1:\(enginePort)/health"))
        #expect(health.status == 200)
        #expect((try JSON(parsing: health.body))["engine"] == "embedded")
        #expect(FileManager.default.fileExists(atPath: db))
    }

    @Test func usesTheConfiguredServerOtherwise() async throws {
        let (worker, log) = try await run(["--port", "0"], environment: ["INNGEST_DEV": "http://127.0.0.1:9"],
                                           until: "using an external Inngest server")
        defer { worker.killAndWait() }
        #expect(log.contains("using an external Inngest server (INNGEST_DEV=http://127.0.0.1:9)"))
        #expect(!log.contains("embedded Inngest engine started"))
    }

    @Test func workerRunsItsOwnFunctionsThroughTheEmbeddedEngine() async throws {
        let scratch = try TemporaryDirectory("enginetests")
        let db = scratch.file("worker-e2e.sqlite")
        let root = (db as NSString).deletingLastPathComponent
        let systemLog = root + "/system-log.jsonl"
        let (worker, log) = try await run(
            ["--port", "0", "--engine-address", "127.0.0.1:0", "--engine-db", db],
            environment: ["HOME": root, "XDG_CONFIG_HOME": root + "/config", "XDG_STATE_HOME": root + "/state",
                          "XDG_DATA_HOME": root + "/data", "JOELCLAW_SYSTEM_LOG": systemLog],
            until: "synced")
        defer { worker.killAndWait() }
        try #require(log.contains("synced"), "worker did not sync: \(log)")
        let enginePort = try #require(worker.embeddedEnginePort, "no engine address in: \(log)")
        let client = SocketHTTPClient()
        let base = "http://127.0.0.1:\(enginePort)"
        // Closed by default: the worker generated the engine's keys beside its database.
        let keys = try #require(try EngineKeys.load(path: EngineKeys.defaultPath(databasePath: db)))
        let bearer = try SigningKey(parsing: keys.signingKey).bearerToken
        let send = try await client.send(HTTPClientRequest(method: "POST", url: base + "/e/\(keys.eventKey)",
            body: Array(#"{"name":"content/summarized","data":{"title":"Swift engines"}}"#.utf8)))
        #expect(send.status == 200)
        let eventID = try #require((try JSON(parsing: send.body))["ids"]?[0]?.stringValue)
        var run: JSON = .null
        _ = await eventually(every: 0.02) {
            let reply = try await client.send(HTTPClientRequest(method: "GET", url: base + "/v1/events/\(eventID)/runs",
                                                                headers: ["Authorization": "Bearer \(bearer)"]))
            run = (try JSON(parsing: reply.body))["data"]?[0] ?? .null
            return run["status"] != nil && run["status"] != "Running"
        }
        #expect(run["status"] == "Completed", "\(run)")
        #expect(run["output"]?["written"] == true)
        // The re-emitted system/log.written event ran the logger again, which found the line already there.
        // Only this event's lines count: the worker's cron functions (health-check
        // every 5 minutes) may log to the same file if the test crosses a boundary.
        let lines = ((try? String(contentsOfFile: systemLog, encoding: .utf8)) ?? "").split(separator: "\n")
            .filter { (try? JSON(parsing: String($0)))?["action"] == "summarized" }
        #expect(lines.count == 1)
    }

    /// A fresh machine is closed: the worker writes a 0600 key file, the engine
    /// refuses events without the event key and API reads without the bearer key,
    /// and the worker's own calls are signed (it syncs and serves in cloud mode).
    @Test func theEmbeddedEngineTrustsNoOneByDefault() async throws {
        let scratch = try TemporaryDirectory("enginetests")
        let db = scratch.file("worker-closed.sqlite")
        let (worker, log) = try await run(["--port", "0", "--engine-address", "127.0.0.1:0", "--engine-db", db],
                                           environment: [:], until: "synced")
        defer { worker.killAndWait() }
        #expect(log.contains("inngest cloud mode: signatures verified"), "\(log)")
        let keyPath = EngineKeys.defaultPath(databasePath: db)
        #expect(log.contains("new keys written to \(keyPath)"))
        let attributes = try FileManager.default.attributesOfItem(atPath: keyPath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let keys = try #require(try EngineKeys.load(path: keyPath))
        #expect(!log.contains(keys.signingKey) && !log.contains(keys.eventKey))

        let base = "http://127.0.0.1:\(try #require(worker.embeddedEnginePort))"
        let client = SocketHTTPClient()
        let event = Array(#"{"name":"content/summarized","data":{}}"#.utf8)
        #expect(try await client.send(HTTPClientRequest(method: "POST", url: base + "/e/anything", body: event)).status == 401)
        #expect(try await client.send(HTTPClientRequest(method: "POST", url: base + "/e/\(keys.eventKey)", body: event)).status == 200)
        #expect(try await client.send(HTTPClientRequest(method: "GET", url: base + "/v1/events/x/runs")).status == 401)
        #expect(try await client.send(HTTPClientRequest(method: "POST", url: base + "/fn/register", body: Array("{}".utf8))).status == 401)
    }

    @Test func aSecondStartReusesTheKeyFile() async throws {
        let scratch = try TemporaryDirectory("enginetests")
        let db = scratch.file("worker-reuse.sqlite")
        let keyPath = EngineKeys.defaultPath(databasePath: db)
        let first = try EngineKeys.loadOrCreate(path: keyPath)
        #expect(first.created)
        let (worker, log) = try await run(["--port", "0", "--engine-address", "127.0.0.1:0", "--engine-db", db],
                                           environment: [:], until: "synced")
        defer { worker.killAndWait() }
        #expect(log.contains("keys from \(keyPath)"), "\(log)")
        #expect(try EngineKeys.load(path: keyPath) == first.keys)
    }

    @Test func aKeyFileOthersCanReadStopsTheWorker() async throws {
        let scratch = try TemporaryDirectory("enginetests")
        let db = scratch.file("worker-open-file.sqlite")
        let keyPath = EngineKeys.defaultPath(databasePath: db)
        _ = try EngineKeys.loadOrCreate(path: keyPath)
        chmod(keyPath, 0o644)
        let (worker, log) = try await run(["--port", "0", "--engine-address", "127.0.0.1:0", "--engine-db", db],
                                           environment: [:], until: "cannot start the embedded Inngest engine")
        #expect(try await worker.exitStatus() == 1)
        #expect(log.contains("chmod 600"), "\(log)")
    }

    @Test func openModeIsExplicitAndWarns() async throws {
        let scratch = try TemporaryDirectory("enginetests")
        let db = scratch.file("worker-open.sqlite")
        let (worker, log) = try await run(["--port", "0", "--engine-address", "127.0.0.1:0", "--engine-db", db,
                                            "--engine-open", "true"], environment: [:], until: "synced")
        defer { worker.killAndWait() }
        #expect(log.contains("OPEN mode"), "\(log)")
        #expect(!FileManager.default.fileExists(atPath: EngineKeys.defaultPath(databasePath: db)))
        let base = "http://127.0.0.1:\(try #require(worker.embeddedEnginePort))"
        let sent = try await SocketHTTPClient().send(HTTPClientRequest(method: "POST", url: base + "/e/anything",
                                                                      body: Array(#"{"name":"x/y","data":{}}"#.utf8)))
        #expect(sent.status == 200)
    }
}
