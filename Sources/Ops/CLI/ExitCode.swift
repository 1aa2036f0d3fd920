/// The exit statuses every `joelclaw` command uses (documented in `--help`
/// and the README). The 6x/7x values are the BSD `sysexits.h` ones, which
/// swift-argument-parser also uses for usage errors.
public struct ExitCode: RawRepresentable, Sendable, Equatable, Hashable {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Success; for `status`, every service is up.
    public static let success = ExitCode(rawValue: 0)
    /// The operation failed or, for `status`, some service is not up.
    public static let failure = ExitCode(rawValue: 1)
    /// The command line is wrong (EX_USAGE).
    public static let usage = ExitCode(rawValue: 64)
    /// Input data is malformed, e.g. `--data` is not JSON (EX_DATAERR).
    public static let dataError = ExitCode(rawValue: 65)
    /// The Inngest server (or engine) could not be reached (EX_UNAVAILABLE).
    public static let unavailable = ExitCode(rawValue: 69)
    /// A configuration file is invalid: inventory, infra template (EX_CONFIG).
    public static let configuration = ExitCode(rawValue: 78)

    /// The text shown under EXIT CODES in help.
    public static let documentation = """
    EXIT CODES:
      0   success (status: every service is up)
      1   failure (status: a service is degraded, down or unknown)
      64  usage error
      65  invalid input data (e.g. --data is not JSON)
      69  the Inngest server or engine is unreachable
      78  invalid configuration (inventory, infra templates)
    """
}

/// An error that ends a command with a message on stderr and a specific exit code.
public struct CommandFailure: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var exitCode: ExitCode
    /// The HTTP status a server answered with, when that is the failure.
    public var httpStatus: Int?
    public init(_ message: String, exitCode: ExitCode = .failure, httpStatus: Int? = nil) {
        self.message = message
        self.exitCode = exitCode
        self.httpStatus = httpStatus
    }
    public var description: String { message }
}
