import Foundation

/// Runs commands as child processes with Foundation's `Process`.
///
/// The executable is resolved against the `PATH` in `environment` (not this
/// process's), which is how tests substitute `launchctl`, `docker` and
/// `kubectl` with recording scripts. Waiting never blocks a Swift concurrency
/// thread: completion arrives through the termination handler, and a process
/// that outlives its timeout is killed.
public struct ProcessCommandRunner: CommandRunner {
    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The absolute path `name` resolves to on this runner's `PATH`, if any.
    public func resolve(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(name)"
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        return nil
    }

    public func run(_ command: Command) async throws -> CommandResult {
        guard let executable = resolve(command.executable) else { throw CommandError.notFound(command.executable) }
        // ETXTBSY: the executable was just written and some other child forked
        // meanwhile still holds it open; exec succeeds moments later.
        var attempt = 0
        while true {
            do {
                return try await launch(command, executable: executable)
            } catch CommandError.launchFailed(_, let why) where why.contains("Text file busy") && attempt < 5 {
                attempt += 1
                try? await Task.sleep(nanoseconds: 20_000_000)
            }
        }
    }

    func launch(_ command: Command, executable: String) async throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = command.arguments
        process.environment = environment
        if let dir = command.workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: dir) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice

        let outcome = OneShot<Result<CommandResult, CommandError>>()
        let collected = PipeCollector(out: out, err: err)
        process.terminationHandler = { p in
            // Pipes are drained on their own threads; wait for EOF, then report.
            let (stdout, stderr) = collected.finish()
            outcome.resolve(.success(CommandResult(exitCode: p.terminationStatus, stdout: stdout, stderr: stderr)))
        }
        // Readers start first so the termination handler always has them to wait for.
        collected.start()
        do { try process.run() } catch {
            try? out.fileHandleForWriting.close()
            try? err.fileHandleForWriting.close()
            throw CommandError.launchFailed(command, "\(error)")
        }
        // The kill timer runs on a thread of its own: Dispatch's shared pool can
        // be exhausted by blocking work elsewhere, and a timeout must still fire.
        let deadline = Date().addingTimeInterval(command.timeout)
        Thread.detachNewThread { [process] in
            while process.isRunning, Date() < deadline {
                Thread.sleep(forTimeInterval: min(0.05, max(0, deadline.timeIntervalSinceNow)))
            }
            guard process.isRunning else { return }
            outcome.resolve(.failure(.timedOut(command)))
            process.terminate()
            Thread.sleep(forTimeInterval: 1)
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        return try await outcome.value.get()
    }
}

/// Reads a child's stdout and stderr to EOF on background threads, so a chatty
/// child never blocks on a full pipe.
private final class PipeCollector: @unchecked Sendable {
    private let out: Pipe, err: Pipe
    private let group = DispatchGroup()
    private var stdout = Data(), stderr = Data()

    init(out: Pipe, err: Pipe) {
        self.out = out
        self.err = err
    }

    func start() {
        group.enter()
        group.enter()
        Thread.detachNewThread { [self] in stdout = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        Thread.detachNewThread { [self] in stderr = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    }

    func finish() -> (String, String) {
        // A grandchild may keep the pipe open; do not wait for it forever.
        _ = group.wait(timeout: .now() + 2)
        return (String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }
}
