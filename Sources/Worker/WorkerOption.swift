import Foundation
import HTTP
import Support

/// One setting of the worker: a `--flag`, its environment variable, a default,
/// and a check that turns a bad value into a message a person can act on.
///
/// To add a setting, declare a `WorkerOption` in your own file and append it
/// to `WorkerOption.all` (one line).
struct WorkerOption: Sendable {
    /// The flag without dashes, e.g. `port` for `--port`.
    let flag: String
    let environment: String
    let defaultValue: String
    let summary: String
    /// nil when `value` is acceptable, else what is wrong with it.
    let check: @Sendable (String) -> String?

    static let all: [WorkerOption] = core + engineOptions + consoleOptions

    static let core: [WorkerOption] = [
        host, port, logLevel, maxBodyBytes, maxBufferedBodyBytes, maxHeaderBytes, maxConnections,
        headerTimeout, idleTimeout, drainTimeout, eventLoops,
    ]

    static let host = WorkerOption(flag: "host", environment: "WORKER_HOST", defaultValue: "127.0.0.1",
                                   summary: "address to listen on", check: nonEmpty)
    static let port = WorkerOption(flag: "port", environment: "WORKER_PORT", defaultValue: "3111",
                                   summary: "TCP port (0 picks a free one)", check: integer(in: 0...65535))
    static let logLevel = WorkerOption(flag: "log-level", environment: "WORKER_LOG_LEVEL", defaultValue: "info",
                                       summary: "debug, info, warn or error",
                                       check: { Logger.Level(name: $0) == nil ? "must be one of debug, info, warn, error" : nil })
    /// 16 MiB, the serve endpoint's own limit: a larger declared body is refused before it is read.
    static let maxBodyBytes = WorkerOption(flag: "max-body-bytes", environment: "WORKER_MAX_BODY_BYTES", defaultValue: "16777216",
                                           summary: "largest request body accepted (413 beyond)", check: integer(in: 1...(1 << 34)))
    static let maxBufferedBodyBytes = WorkerOption(flag: "max-buffered-body-bytes", environment: "WORKER_MAX_BUFFERED_BODY_BYTES",
                                                   defaultValue: "268435456",
                                                   summary: "request-body bytes all connections may hold at once (503 beyond)",
                                                   check: integer(in: 1...(1 << 40)))
    static let maxHeaderBytes = WorkerOption(flag: "max-header-bytes", environment: "WORKER_MAX_HEADER_BYTES", defaultValue: "32768",
                                             summary: "largest request head accepted (431 beyond)", check: integer(in: 256...(1 << 24)))
    static let maxConnections = WorkerOption(flag: "max-connections", environment: "WORKER_MAX_CONNECTIONS", defaultValue: "512",
                                             summary: "open connections at once (503 beyond)", check: integer(in: 1...100_000))
    static let headerTimeout = WorkerOption(flag: "header-timeout", environment: "WORKER_HEADER_TIMEOUT", defaultValue: "10",
                                            summary: "seconds to receive a request head", check: seconds)
    static let idleTimeout = WorkerOption(flag: "idle-timeout", environment: "WORKER_IDLE_TIMEOUT", defaultValue: "60",
                                          summary: "seconds a kept-alive connection may idle", check: seconds)
    static let drainTimeout = WorkerOption(flag: "drain-timeout", environment: "WORKER_DRAIN_TIMEOUT", defaultValue: "20",
                                           summary: "seconds in-flight requests get on SIGTERM", check: seconds)

    static let eventLoops = WorkerOption(flag: "event-loops", environment: "WORKER_EVENT_LOOPS", defaultValue: "0",
                                         summary: "event-loop threads (0: one per CPU)", check: integer(in: 0...256))

    static func nonEmpty(_ value: String) -> String? {
        value.trimmingCharacters(in: .whitespaces).isEmpty ? "must not be empty" : nil
    }

    static func integer(in range: ClosedRange<Int>) -> @Sendable (String) -> String? {
        { value in
            guard let n = Int(value), range.contains(n) else { return "must be an integer from \(range.lowerBound) to \(range.upperBound)" }
            return nil
        }
    }

    static func seconds(_ value: String) -> String? {
        guard let n = Double(value), n.isFinite, n > 0, n <= 86_400 else { return "must be a number of seconds above 0 and at most 86400" }
        return nil
    }
}
