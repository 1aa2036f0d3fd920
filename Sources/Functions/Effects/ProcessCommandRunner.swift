import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs programs with `posix_spawnp`, each in its own process group, so a
/// timeout or a cancelled task can kill the program *and everything it
/// started* (yt-dlp's ffmpeg, ssh under scp) with one signal to the group.
///
/// Output is captured with `poll` on one dedicated thread per run (never the
/// Swift concurrency pool, which must not block). When the program exits,
/// stragglers left in its group are killed too: otherwise a background child
/// holding the output pipe would keep the run open forever.
public struct ProcessCommandRunner: CommandRunner {
    /// Bytes kept per stream; the rest is dropped (a runaway tool must not exhaust memory).
    public var outputLimit: Int

    public init(outputLimit: Int = 32 << 20) { self.outputLimit = outputLimit }

    public func run(_ command: Command) async throws -> CommandResult {
        guard let program = command.argv.first, !program.isEmpty else {
            throw CommandError.launchFailed(command: command.display, reason: "empty argv")
        }
        if let dir = command.workingDirectory {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
                throw CommandError.launchFailed(command: command.display, reason: "working directory \(dir) does not exist")
            }
        }
        let process = try SpawnedProcess.spawn(command)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<CommandResult, Error>) in
                let limit = outputLimit
                let thread = Thread {
                    continuation.resume(with: Result { try process.collect(timeout: command.timeout, limit: limit, display: command.display) })
                }
                thread.start()
            }
        } onCancel: {
            process.cancel()
        }
    }
}
