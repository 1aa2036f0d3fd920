import Foundation
import JSON
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The built `worker` executable, run as a real child process with its
/// stderr (JSON-lines log) captured.
public final class WorkerProcess: @unchecked Sendable {
    public let process = Process()
    /// stderr goes to a file, not a pipe: everything the worker wrote before
    /// it exited is in the file the moment it exits, with no reader thread to
    /// wait for (and no pipe end held open by another child).
    private let errorFile: URL

    /// Next to the test bundle in the build products directory.
    public static func binary() throws -> URL {
        var candidates: [URL] = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent())
        }
        for dir in candidates {
            let url = dir.appendingPathComponent("worker")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw TestFailure("worker binary not found near \(candidates.map(\.path)); build it with `swift build --build-tests`")
    }

    /// `inngestDev` (default a closed loopback port) keeps the worker's
    /// Inngest sync on loopback; nil leaves the choice of engine to the
    /// arguments and `environment` (no server configured: the embedded
    /// engine). The caller's `WORKER_*`, `INNGEST_*` and `JOELCLAW_*`
    /// variables never leak into the child, so a developer's shell cannot
    /// change which engine or keys a test's worker uses.
    public init(arguments: [String], environment: [String: String] = [:], inngestDev: String? = "http://127.0.0.1:9") throws {
        process.executableURL = try Self.binary()
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("WORKER_") && !$0.key.hasPrefix("INNGEST_") && !$0.key.hasPrefix("JOELCLAW_")
        }
        if let inngestDev { env["INNGEST_DEV"] = inngestDev }
        env.merge(environment) { $1 }
        process.environment = env
        errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("worker-stderr-\(UUID().uuidString).log")
        guard FileManager.default.createFile(atPath: errorFile.path, contents: nil),
              let errorHandle = FileHandle(forWritingAtPath: errorFile.path) else {
            throw TestFailure("cannot create \(errorFile.path)")
        }
        defer { try? errorHandle.close() }
        process.standardError = errorHandle
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        try Self.watch(worker: process.processIdentifier)
    }

    /// A shell loop that kills the worker once this test process is gone, so
    /// a crashed or interrupted test run never leaves a worker behind. It
    /// ends by itself within a second of the worker exiting.
    private static func watch(worker: Int32) throws {
        let watchdog = Process()
        watchdog.executableURL = URL(fileURLWithPath: "/bin/sh")
        watchdog.arguments = ["-c", "while kill -0 \(getpid()) 2>/dev/null && kill -0 \(worker) 2>/dev/null; do sleep 1; done; kill -KILL \(worker) 2>/dev/null; exit 0"]
        watchdog.standardOutput = FileHandle.nullDevice
        watchdog.standardError = FileHandle.nullDevice
        try watchdog.run()
    }

    /// Asks the worker to stop (SIGTERM) without waiting.
    public func stop() { if process.isRunning { process.terminate() } }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: errorFile)
    }

    public var stderr: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

    /// The log lines so far, each parsed as JSON.
    public var logLines: [JSON] {
        stderr.split(separator: "\n").compactMap { try? JSON(parsing: String($0)) }
    }

    /// Waits for a log line with `msg` == `message`.
    public func waitForLog(_ message: String, timeout: Double = 20) async throws -> JSON {
        try await watchLog(for: "a \(message) log line", timeout: timeout) {
            logLines.first { $0["msg"]?.stringValue == message }
        }
    }

    /// Waits until the log contains `text` anywhere; returns the log so far.
    public func waitForText(_ text: String, timeout: Double = 20) async throws -> String {
        try await watchLog(for: "\"\(text)\" in the log", timeout: timeout) {
            let log = stderr
            return log.contains(text) ? log : nil
        }
    }

    /// Polls the log with `probe`, failing at once if the worker exits first.
    private func watchLog<T>(for what: String, timeout: Double, _ probe: () -> T?) async throws -> T {
        let outcome = await firstValue(timeout: timeout) { () -> LogWatch<T>? in
            let running = process.isRunning  // read first: a line logged just before the exit still counts
            if let found = probe() { return .found(found) }
            return running ? nil : .exited
        }
        switch outcome {
        case .found(let found): return found
        case .exited: throw TestFailure("worker exited (\(process.terminationStatus)) before \(what): \(stderr)")
        case nil: throw TestFailure("no \(what) within \(timeout) s: \(stderr)")
        }
    }

    /// The embedded engine's port, from "using the embedded Inngest engine at http://127.0.0.1:<port>".
    public var embeddedEnginePort: Int? {
        let log = stderr
        guard let range = log.range(of: "using the embedded Inngest engine at http://127.0.0.1:") else { return nil }
        return Int(log[range.upperBound...].prefix { $0.isNumber })
    }

    /// The port the worker logged at start.
    public func listeningPort(timeout: Double = 20) async throws -> Int {
        let line = try await waitForLog("listening", timeout: timeout)
        guard let port = line["port"]?.intValue else { throw TestFailure("no port in \(line)") }
        return port
    }

    public func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// SIGKILL, then waits for the exit: for tests where the worker's own
    /// shutdown is not under test (or is what a crash must do without).
    public func killAndWait() {
        signal(SIGKILL)
        process.waitUntilExit()
    }

    /// Waits for the process to exit and returns its status.
    public func exitStatus(timeout: Double = 20) async throws -> Int32 {
        guard await eventually(timeout: timeout, { !process.isRunning }) else {
            throw TestFailure("worker still running after \(timeout) s")
        }
        return process.terminationStatus
    }
}

/// What watching the log came to, short of timing out.
private enum LogWatch<T> {
    case found(T)
    case exited
}
