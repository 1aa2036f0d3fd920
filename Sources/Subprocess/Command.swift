/// One external program invocation: argv, where, with what extra environment,
/// and how long it may take. A plain value, so plans (`infra apply`) can list
/// commands before anything runs and tests can compare them.
public struct Command: Sendable, Equatable, CustomStringConvertible {
    /// `argv[0]` is looked up on the runner's `PATH` when it has no slash.
    public var argv: [String]
    public var workingDirectory: String?
    /// Added to (and overriding) the runner's environment.
    public var environment: [String: String]
    /// Seconds before the whole process group is killed and the run fails with `.timedOut`.
    public var timeout: Double
    /// A file read as the program's standard input (long prompts go here,
    /// never into one huge argument). Nil: `/dev/null`.
    public var standardInput: String? = nil
    /// Seconds between SIGTERM and SIGKILL when the group is stopped (timeout
    /// or cancellation), so a coding agent can clean up. 0: SIGKILL at once.
    public var terminationGrace: Double = 0
    /// When set, both output streams go to this file as they arrive (created
    /// or truncated, mode 0600) instead of into the result: a long-running
    /// tool's output can be read while it runs and survives its being killed.
    public var outputFile: String? = nil

    /// The effects' form: a whole argv, which often comes from configuration
    /// (`["pi", "-p"]`). Long-running tools (downloads, transcription) get a
    /// generous default.
    public init(_ argv: [String], workingDirectory: String? = nil, environment: [String: String] = [:], timeout: Double = 600) {
        self.argv = argv
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.timeout = timeout
    }

    /// The probes' form: a tool and its arguments. Probes and system tools
    /// answer quickly or not at all, hence the short default.
    public init(_ executable: String, _ arguments: [String] = [], timeout: Double = 30, workingDirectory: String? = nil) {
        self.init([executable] + arguments, workingDirectory: workingDirectory, timeout: timeout)
    }

    /// The program as given: a name to look up on `PATH`, or a path.
    public var executable: String { argv.first ?? "" }
    public var arguments: [String] { Array(argv.dropFirst()) }

    /// The command line as a person would type it (for plans, logs and errors);
    /// pasting it into a shell runs the same argv.
    public var description: String {
        argv.map(Command.shellQuoted).joined(separator: " ")
    }

    /// `word` as one word of a POSIX shell command: unchanged when it is plain
    /// (letters, digits, `-_./=:@%+,`), else single-quoted. The one quoting helper:
    /// plans and logs use it, and so does the remote side of `ssh`.
    public static func shellQuoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { c in
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || "-_./=:@%+,".unicodeScalars.contains(c)
        }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
