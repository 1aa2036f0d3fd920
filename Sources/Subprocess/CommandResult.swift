/// What a finished program left behind. Output is kept as bytes (a tool may
/// print binary or broken UTF-8); the text accessors decode leniently.
public struct CommandResult: Sendable, Equatable {
    /// The exit code, or 128 + signal number when a signal ended it (shell convention).
    public var exitCode: Int32
    public var stdout: [UInt8]
    public var stderr: [UInt8]

    public init(exitCode: Int32, stdout: [UInt8] = [], stderr: [UInt8] = []) {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
    }

    public var succeeded: Bool { exitCode == 0 }
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}
