import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HTTP
import JSON
import Testing
import TestSupport
@testable import Engine
import InngestProtocol

/// Runs the real `worker` executable and checks which engine it chooses.
@Suite("Worker engine selection", .serialized)
struct WorkerEngineSelectionTests {
    static func workerBinary() -> String? {
        EngineCrashDurabilityTests.harnessBinary().map { ($0 as NSString).deletingLastPathComponent + "/worker" }
            .flatMap { FileManager.default.isExecutableFile(atPath: $0) ? $0 : nil }
    }

    /// The port in "using the embedded Inngest engine at http://127.0.0.1:<port>".
    static func enginePort(in log: String) -> Int? {
        let marker = "using the embedded Inngest engine at http://127.0.0.1:"
        guard let range = log.range(of: marker) else { return nil }
        return Int(log[range.upperBound...].prefix { $0.isNumber })
    }

    /// SIGKILL, not SIGTERM: graceful shutdown is not under test here, and a
    /// SIGTERM that lands before the worker's handler is armed could be missed.
    static func stop(_ process: Process) {
        _ = kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Starts the worker, waits until `marker` appears in its log, returns the log and the process.
    func run(_ arguments: [String], environment: [String: String], until marker: String) async throws -> (Process, String) {
        let binary = try #require(Self.workerBinary(), "worker not built")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = ChildEnvironment.make(environment)
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        // A watchdog kills a worker that never logs the marker, which also ends the blocking read.
        let pid = process.processIdentifier
        let watchdog = Task {
            try await Task.sleep(nanoseconds: 20_000_000_000)
            _ = kill(pid, SIGKILL)
        }
        defer { watchdog.cancel() }
        var log = Data()
        while true {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            log.append(chunk)
            if String(decoding: log, as: UTF8.self).contains(marker) { break }
        }
        return (process, String(decoding: log, as: UTF8.self))
    }

    @Test func startsTheEmbeddedEngineWhenNoServerIsConfigured() async throws {
        let (db, cleanup) = temporaryDatabasePath("worker-engine.sqlite")
        defer { cleanup() }
        let (process, log) = try await run(["--port", "0", "--engine-address", "127.0.0.1:0", "--engine-db", db],
                                           environment: [:], until: "using the embedded Inngest engine")
        defer { Self.stop(process) }
        let enginePort = try #require(Self.enginePort(in: log), "no engine address in: \(log)")
        let health = try await SocketHTTPClient().send(HTTPClientRequest(method: "GET", url: "http://127.0.0.1:\(enginePort)/health"))
        #expect(health.status == 200)
        #expect((try JSON(parsing: health.body))["engine"] == "embedded")
        #expect(FileManager.default.fileExists(atPath: db))
    }

    @Test func usesTheConfiguredServerOtherwise() async throws {
        let (process, log) = try await run(["--port", "0"], environment: ["INNGEST_DEV": "http://127.0.0.1:9"],
                                           until: "using an external Inngest server")
        defer { Self.stop(process) }
        #expect(log.contains("using an external Inngest server (INNGEST_DEV=http://127.0.0.1:9)"))
        #expect(!log.contains("embedded Inngest engine started"))
    }

    @Test func workerRunsItsOwnFunctionsThroughTheEmbeddedEngine() async throws {
        let (db, cleanup) = temporaryDatabasePath("worker-e2e.sqlite")
        defer { cleanup() }
        let root = (db as NSString).deletingLastPathComponent
        let systemLog = root + "/system-log.jsonl"
        let (process, log) = try await run(
            ["--port", "0", "--engine-address", "127.0.0.1:0", "--engine-db", db],
            environment: ["HOME": root, "XDG_CONFIG_HOME": root + "/config", "XDG_STATE_HOME": root + "/state",
                          "XDG_DATA_HOME": root + "/data", "JOELCLAW_SYSTEM_LOG": systemLog],
            until: "synced")
        defer { Self.stop(process) }
        try #require(log.contains("synced"), "worker did not sync: \(log)")
        let enginePort = try #require(Self.enginePort(in: log), "no engine address in: \(log)")
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
        let (db, cleanup) = temporaryDatabasePath("worker-closed.sqlite")
        defer { cleanup() }
        let (process, log) = try await run(["--port", "0", "--engine-address", "127.0.0.1:0", "--engine-db", db],
                                           environment: [:], until: "synced")
        defer { Self.stop(process) }
        #expect(log.contains("inngest cloud mode: signatures verified"), "\(log)")
        let keyPath = EngineKeys.defaultPath(databasePath: db)
        #expect(log.contains("new keys written to \(keyPath)"))
        let attributes = try FileManager.default.attributesOfItem(atPath: keyPath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let keys = try #require(try EngineKeys.load(path: keyPath))
        #expect(!log.contains(keys.signingKey) && !log.contains(keys.eventKey))

        let base = "http://127.0.0.1:\(try #require(Self.enginePort(in: log)))"
        let client = SocketHTTPClient()
        let event = Array(#"{"name":"content/summarized","data":{}}"#.utf8)
        #expect(try await client.send(HTTPClientRequest(method: "POST", url: base + "/e/anything", body: event)).status == 401)
        #expect(try await client.send(HTTPClientRequest(method: "POST", url: base + "/e/\(keys.eventKey)", body: event)).status == 200)
        #expect(try await client.send(HTTPClientRequest(method: "GET", url: base + "/v1/events/x/runs")).status == 401)
        #expect(try await client.send(HTTPClientRequest(method: "POST", url: base + "/fn/register", body: Array("{}".utf8))).status == 401)
    }

    @Test func aSecondStartReusesTheKeyFile() async throws {
        let (db, cleanup) = temporaryDatabasePath("worker-reuse.sqlite")
        defer { cleanup() }
        let keyPath = EngineKeys.defaultPath(databasePath: db)
        let first = try EngineKeys.loadOrCreate(path: keyPath)
        #expect(first.created)
        let (process, log) = try await run(["--port", "0", "--engine-address", "127.0.0.1:0", "--engine-db", db],
                                           environment: [:], until: "synced")
        defer { Self.stop(process) }
        #expect(log.contains("keys from \(keyPath)"), "\(log)")
        #expect(try EngineKeys.load(path: keyPath) == first.keys)
    }

    @Test func aKeyFileOthersCanReadStopsTheWorker() async throws {
        let (db, cleanup) = temporaryDatabasePath("worker-open-file.sqlite")
        defer { cleanup() }
        let keyPath = EngineKeys.defaultPath(databasePath: db)
        _ = try EngineKeys.loadOrCreate(path: keyPath)
        chmod(keyPath, 0o644)
        let (process, log) = try await run(["--port", "0", "--engine-address", "127.0.0.1:0", "--engine-db", db],
                                           environment: [:], until: "cannot start the embedded Inngest engine")
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        #expect(log.contains("chmod 600"), "\(log)")
    }

    @Test func openModeIsExplicitAndWarns() async throws {
        let (db, cleanup) = temporaryDatabasePath("worker-open.sqlite")
        defer { cleanup() }
        let (process, log) = try await run(["--port", "0", "--engine-address", "127.0.0.1:0", "--engine-db", db,
                                            "--engine-open", "true"], environment: [:], until: "synced")
        defer { Self.stop(process) }
        #expect(log.contains("OPEN mode"), "\(log)")
        #expect(!FileManager.default.fileExists(atPath: EngineKeys.defaultPath(databasePath: db)))
        let base = "http://127.0.0.1:\(try #require(Self.enginePort(in: log)))"
        let sent = try await SocketHTTPClient().send(HTTPClientRequest(method: "POST", url: base + "/e/anything",
                                                                      body: Array(#"{"name":"x/y","data":{}}"#.utf8)))
        #expect(sent.status == 200)
    }
}
