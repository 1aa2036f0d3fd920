import Foundation
import Subprocess

/// What one run of a coding agent came to, kept as a step result.
public struct ToolOutcome: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable { case exited, timedOut = "timed_out", cancelled, missing }
    public var tool: String
    public var status: Status
    public var exitCode: Int32?
    /// The captured stdout and stderr, outside the worktree.
    public var outputPath: String
    public var seconds: Double

    public var succeeded: Bool { status == .exited && exitCode == 0 }
}

/// Runs a configured coding agent on a prompt. The prompt is written to a
/// file outside the worktree and given as standard input; the tool runs in
/// its own process group with its configured timeout, and a loop cancelled
/// meanwhile (seen by polling the state store, which `joelclaw loop cancel`
/// writes from any process) stops the whole group: SIGTERM, then SIGKILL.
public struct CodingToolRunner: Sendable {
    let tools: [String: CodingToolConfig]
    let runner: any CommandRunner
    let outputDir: String
    let isCancelled: @Sendable () -> Bool
    /// Seconds between SIGTERM and SIGKILL.
    let grace: Double
    let pollInterval: Double

    public init(tools: [String: CodingToolConfig], runner: any CommandRunner, outputDir: String, grace: Double = 5,
                pollInterval: Double = 0.2, isCancelled: @escaping @Sendable () -> Bool) {
        self.tools = tools
        self.runner = runner
        self.outputDir = outputDir
        self.grace = grace
        self.pollInterval = pollInterval
        self.isCancelled = isCancelled
    }

    /// Runs `tool` in `workDir`; `name` names the prompt and output files
    /// (`<name>.prompt`, `<name>.out` under the output directory).
    public func run(tool: String, prompt: String, workDir: String, name: String) async throws -> ToolOutcome {
        try FileManager.default.createDirectory(atPath: outputDir, withIntermediateDirectories: true)
        let promptPath = "\(outputDir)/\(name).prompt", outputPath = "\(outputDir)/\(name).out"
        try Data(prompt.utf8).write(to: URL(fileURLWithPath: promptPath))
        guard let config = tools[tool] else {
            try Data("unknown tool \(tool); configured: \(tools.keys.sorted().joined(separator: ", "))\n".utf8).write(to: URL(fileURLWithPath: outputPath))
            return ToolOutcome(tool: tool, status: .missing, exitCode: nil, outputPath: outputPath, seconds: 0)
        }
        var command = Command(config.argv, workingDirectory: workDir, timeout: config.timeout)
        command.standardInput = promptPath
        command.terminationGrace = grace
        // Streamed to the file while the tool runs: readable during a long
        // attempt, and kept (up to the kill) when it times out or is cancelled.
        command.outputFile = outputPath
        let started = Date()
        let runner = self.runner
        let work = Task { try await runner.run(command) }
        let watcher = Task { [isCancelled, pollInterval] in
            while !Task.isCancelled {
                if isCancelled() { work.cancel(); return }
                try? await Task.sleep(nanoseconds: UInt64(pollInterval * 1e9))
            }
        }
        defer { watcher.cancel() }
        let status: ToolOutcome.Status, exitCode: Int32?, note: String?
        do {
            let result = try await withTaskCancellationHandler { try await work.value } onCancel: { work.cancel() }
            (status, exitCode, note) = (.exited, result.exitCode, nil)
        } catch CommandError.timedOut {
            (status, exitCode, note) = (.timedOut, nil, "timed out after \(config.timeout)s")
        } catch CommandError.cancelled {
            (status, exitCode, note) = (.cancelled, nil, "cancelled")
        } catch CommandError.notFound(let executable) {
            (status, exitCode, note) = (.missing, nil, "\(executable) not found")
        }
        if let note { try Self.append("\n[\(note)]\n", to: outputPath) }
        return ToolOutcome(tool: tool, status: status, exitCode: exitCode, outputPath: outputPath, seconds: Date().timeIntervalSince(started))
    }

    /// Adds `text` to the end of `path`, creating it when the tool never started.
    static func append(_ text: String, to path: String) throws {
        guard let handle = FileHandle(forWritingAtPath: path) else {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }
}
