import Foundation
import Support

/// One setting of the worker: a `--flag`, its environment variable, a default,
/// and a check that turns a bad value into a message a person can act on.
///
/// Flags and environment variables are outside input (a launcher script, a
/// shell, a copied plist), so every check bounds what it accepts: numbers by
/// range (no overflow reaches the server), text by length and characters.
/// To add a setting, declare a `WorkerOption` in this module and append it to
/// `WorkerOption.all` (one line).
public struct WorkerOption: Sendable {
    /// The flag without dashes, e.g. `port` for `--port`.
    public let flag: String
    public let environment: String
    public let defaultValue: String
    public let summary: String
    /// nil when `value` is acceptable, else what is wrong with it.
    public let check: @Sendable (String) -> String?

    public init(flag: String, environment: String, defaultValue: String, summary: String,
                check: @escaping @Sendable (String) -> String?) {
        self.flag = flag
        self.environment = environment
        self.defaultValue = defaultValue
        self.summary = summary
        self.check = check
    }

    public static let all: [WorkerOption] = core + engineOptions + consoleOptions

    public static let core: [WorkerOption] = [
        host, port, logLevel, maxBodyBytes, maxBufferedBodyBytes, maxHeaderBytes, maxConnections,
        headerTimeout, idleTimeout, drainTimeout, eventLoops,
    ]

    public static let host = WorkerOption(flag: "host", environment: "WORKER_HOST", defaultValue: "127.0.0.1",
                                          summary: "address to listen on", check: hostName)
    public static let port = WorkerOption(flag: "port", environment: "WORKER_PORT", defaultValue: "3111",
                                          summary: "TCP port (0 picks a free one)", check: integer(in: 0...65535))
    public static let logLevel = WorkerOption(flag: "log-level", environment: "WORKER_LOG_LEVEL", defaultValue: "info",
                                              summary: "debug, info, warn or error",
                                              check: { Logger.Level(name: $0) == nil ? "must be one of debug, info, warn, error" : nil })
    /// 16 MiB, the serve endpoint's own limit: a larger declared body is refused before it is read.
    public static let maxBodyBytes = WorkerOption(flag: "max-body-bytes", environment: "WORKER_MAX_BODY_BYTES", defaultValue: "16777216",
                                                  summary: "largest request body accepted (413 beyond)", check: integer(in: 1...(1 << 34)))
    public static let maxBufferedBodyBytes = WorkerOption(flag: "max-buffered-body-bytes", environment: "WORKER_MAX_BUFFERED_BODY_BYTES",
                                                          defaultValue: "268435456",
                                                          summary: "request-body bytes all connections may hold at once (503 beyond)",
                                                          check: integer(in: 1...(1 << 40)))
    public static let maxHeaderBytes = WorkerOption(flag: "max-header-bytes", environment: "WORKER_MAX_HEADER_BYTES", defaultValue: "32768",
                                                    summary: "largest request head accepted (431 beyond)", check: integer(in: 256...(1 << 24)))
    public static let maxConnections = WorkerOption(flag: "max-connections", environment: "WORKER_MAX_CONNECTIONS", defaultValue: "512",
                                                    summary: "open connections at once (503 beyond)", check: integer(in: 1...100_000))
    public static let headerTimeout = WorkerOption(flag: "header-timeout", environment: "WORKER_HEADER_TIMEOUT", defaultValue: "10",
                                                   summary: "seconds to receive a request head", check: seconds)
    public static let idleTimeout = WorkerOption(flag: "idle-timeout", environment: "WORKER_IDLE_TIMEOUT", defaultValue: "60",
                                                 summary: "seconds a kept-alive connection may idle", check: seconds)
    public static let drainTimeout = WorkerOption(flag: "drain-timeout", environment: "WORKER_DRAIN_TIMEOUT", defaultValue: "20",
                                                  summary: "seconds in-flight requests get on SIGTERM", check: seconds)

    public static let eventLoops = WorkerOption(flag: "event-loops", environment: "WORKER_EVENT_LOOPS", defaultValue: "0",
                                                summary: "event-loop threads (0: one per CPU)", check: integer(in: 0...256))

    public static func nonEmpty(_ value: String) -> String? {
        value.trimmingCharacters(in: .whitespaces).isEmpty ? "must not be empty" : nil
    }

    /// Decimal digits with an optional sign only, so `Int` parsing is the
    /// whole story: anything past `Int.max` fails to parse rather than wraps.
    public static func integer(in range: ClosedRange<Int>) -> @Sendable (String) -> String? {
        { value in
            guard let n = Int(value), range.contains(n) else { return "must be an integer from \(range.lowerBound) to \(range.upperBound)" }
            return nil
        }
    }

    public static func seconds(_ value: String) -> String? {
        guard let n = Double(value), n.isFinite, n > 0, n <= 86_400 else { return "must be a number of seconds above 0 and at most 86400" }
        return nil
    }

    /// A host name or an IPv4/IPv6 literal: letters, digits and `.-_:%[]`,
    /// at most 253 bytes (the DNS limit); no spaces, control characters or NUL.
    public static func hostName(_ value: String) -> String? {
        guard !value.isEmpty, value.utf8.count <= 253,
              value.utf8.allSatisfy({ isAlphanumeric($0) || ".-_:%[]".utf8.contains($0) })
        else { return "must be a host name or IP address (letters, digits, . - _ : % [ ]; at most 253 bytes)" }
        return nil
    }

    /// A file path the operator chose (not confined: `..` and absolute paths
    /// are the operator's call), but one the file system can take: at most
    /// 4096 bytes, no NUL or other control characters. `allowEmpty` lets
    /// "empty" mean "the default location".
    public static func filePath(allowEmpty: Bool) -> @Sendable (String) -> String? {
        { value in
            if value.isEmpty { return allowEmpty ? nil : "must not be empty" }
            guard value.utf8.count <= 4096, !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
            else { return "must be a file path of at most 4096 bytes without control characters" }
            return nil
        }
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
