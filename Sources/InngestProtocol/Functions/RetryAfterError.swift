import Foundation

/// Throw this to be retried, but not before a given time: the response carries
/// `Retry-After` (whole seconds, or an RFC 3339 date). The server clamps the
/// delay to between 1 second and 24 hours.
public struct RetryAfterError: Error, Sendable, CustomStringConvertible {
    public enum Delay: Sendable, Equatable {
        case seconds(Int)
        case date(Date)
    }
    public let message: String
    public let delay: Delay

    public init(_ message: String, after duration: Duration) {
        self.message = message
        self.delay = .seconds(max(1, Int(duration.components.seconds)))
    }

    public init(_ message: String, at date: Date) {
        self.message = message
        self.delay = .date(date)
    }

    /// The `Retry-After` header value.
    public var retryAfterHeader: String {
        switch delay {
        case .seconds(let s): return String(s)
        case .date(let d): return InngestTime.rfc3339(d)
        }
    }

    public var description: String { message }
}
