import Foundation
import Subprocess
import HTTP

/// Somewhere text goes: the terminal, a pipe, or a test's buffer.
public protocol TextOutput: Sendable {
    func write(_ text: String)
    /// True when a person is looking at it (colour and symbols are allowed).
    var isTerminal: Bool { get }
}

/// Standard output or standard error of this process.
public struct FileDescriptorOutput: TextOutput {
    let fd: Int32
    public static let standardOutput = FileDescriptorOutput(fd: 1)
    public static let standardError = FileDescriptorOutput(fd: 2)

    public func write(_ text: String) {
        FileHandle(fileDescriptor: fd, closeOnDealloc: false).write(Data(text.utf8))
    }

    public var isTerminal: Bool { isatty(fd) == 1 }
}

/// Everything a command touches outside itself, injected so tests drive the
/// real command logic against loopback servers, temp dirs and fake tools.
public struct CLIContext: Sendable {
    public var environment: [String: String]
    public var stdout: any TextOutput
    public var stderr: any TextOutput
    public var http: any HTTPClient
    public var commands: any CommandRunner
    public var workingDirectory: String

    public init(environment: [String: String], stdout: any TextOutput, stderr: any TextOutput,
                http: any HTTPClient, commands: any CommandRunner, workingDirectory: String) {
        self.environment = environment
        self.stdout = stdout
        self.stderr = stderr
        self.http = http
        self.commands = commands
        self.workingDirectory = workingDirectory
    }

    /// The real process: its environment, stdio, an HTTP client and child processes.
    public static func live() -> CLIContext {
        let env = ProcessInfo.processInfo.environment
        return CLIContext(environment: env, stdout: FileDescriptorOutput.standardOutput,
                          stderr: FileDescriptorOutput.standardError, http: SocketHTTPClient(),
                          commands: ProcessCommandRunner(environment: env),
                          workingDirectory: FileManager.default.currentDirectoryPath)
    }

    /// Colour only on a terminal and only when `NO_COLOR` is unset or empty (no-color.org).
    public var useColor: Bool {
        stdout.isTerminal && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
    }

    /// The repository checkout the CLI works from: `JOELCLAW_REPO`, else the current directory.
    public var repositoryRoot: String {
        absolute(environment["JOELCLAW_REPO"].flatMap { $0.isEmpty ? nil : $0 } ?? workingDirectory)
    }

    /// `JOELCLAW_INVENTORY`, else `<repo>/infra/inventory.json`.
    public var inventoryPath: String {
        if let p = environment["JOELCLAW_INVENTORY"], !p.isEmpty { return absolute(p) }
        return "\(repositoryRoot)/infra/inventory.json"
    }

    public func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        if path == "~" || path.hasPrefix("~/"), let home = environment["HOME"] { return home + path.dropFirst() }
        return "\(workingDirectory)/\(path)"
    }
}
