import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs programs with `posix_spawn`, each in its own process group, so a
/// timeout or a cancelled task can kill the program *and everything it
/// started* (yt-dlp's ffmpeg, ssh under scp) with one signal to the group.
///
/// Output is captured with `poll` on one dedicated thread per run (never the
/// Swift concurrency pool, which must not block). When the program exits,
/// stragglers left in its group are killed too: otherwise a background child
/// holding the output pipe would keep the run open forever. (Foundation's
/// `Process` is not used: it stalls when a daemon such as sshd closes the
/// descriptor it watches, and it cannot kill a whole group.)
public struct ProcessCommandRunner: CommandRunner {
    /// The children's environment (each command's own entries override it).
    /// Its `PATH` is where program names are looked up, which is how tests
    /// substitute `launchctl`, `docker` or `kubectl` with recording scripts.
    public var environment: [String: String]
    /// Bytes kept per stream; the rest is dropped (a runaway tool must not exhaust memory).
    public var outputLimit: Int
    /// Where running process groups are written down, so a restarted worker
    /// can end those its killed predecessor left (see `ProcessGroupRecord`).
    public var groupRecord: ProcessGroupRecord?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, outputLimit: Int = 32 << 20,
                groupRecord: ProcessGroupRecord? = nil) {
        self.environment = environment
        self.outputLimit = outputLimit
        self.groupRecord = groupRecord
    }

    public func run(_ command: Command) async throws -> CommandResult {
        guard !command.executable.isEmpty else {
            throw CommandError.launchFailed(command: command.description, reason: "empty argv")
        }
        if let dir = command.workingDirectory {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
                throw CommandError.launchFailed(command: command.description, reason: "working directory \(dir) does not exist")
            }
        }
        let environment = self.environment.merging(command.environment) { $1 }
        let lookup = ExecutableLookup(path: environment["PATH"])
        guard let program = lookup.resolve(command.executable) else {
            throw CommandError.notFound(executable: command.executable)
        }
        var sink: Int32 = -1
        if let file = command.outputFile {
            sink = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard sink >= 0 else {
                throw CommandError.launchFailed(command: command.description, reason: "cannot open output file \(file): \(String(cString: strerror(errno)))")
            }
        }
        let process: SpawnedProcess
        do { process = try await spawn(command, program: program, environment: environment) } catch {
            if sink >= 0 { close(sink) }
            throw error
        }
        let output = sink
        let record = groupRecord
        record?.started(process.pid)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<CommandResult, Error>) in
                let limit = outputLimit
                let thread = Thread {
                    let result = Result { try process.collect(timeout: command.timeout, limit: limit, display: command.description,
                                                              sink: output >= 0 ? output : nil) }
                    if output >= 0 { close(output) }
                    record?.finished(process.pid)
                    continuation.resume(with: result)
                }
                thread.start()
            }
        } onCancel: {
            process.cancel()
        }
    }

    /// ETXTBSY: the executable was just written (a test's script, a fresh
    /// build) and a child forked meanwhile by another thread still holds it
    /// open for writing; exec succeeds moments later.
    private func spawn(_ command: Command, program: String, environment: [String: String]) async throws -> SpawnedProcess {
        var attempt = 0
        while true {
            do {
                #if canImport(Glibc)
                // On the spawn thread, so the child's parent-death signal is tied to a thread that never ends.
                return try await SpawnThread.shared.run { try SpawnedProcess.spawn(command, program: program, environment: environment) }
                #else
                return try SpawnedProcess.spawn(command, program: program, environment: environment)
                #endif
            } catch SpawnedProcess.SpawnError.busy where attempt < 5 {
                attempt += 1
                try? await Task.sleep(nanoseconds: 20_000_000)
            } catch SpawnedProcess.SpawnError.busy {
                throw CommandError.launchFailed(command: command.description, reason: String(cString: strerror(ETXTBSY)))
            }
        }
    }
}
