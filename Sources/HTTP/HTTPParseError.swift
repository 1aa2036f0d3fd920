/// Why a request was refused, with the status code that says so on the wire.
///
/// Every refusal closes the connection after the error response: once the
/// framing of a request is in doubt nothing after it can be trusted.
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var reason: String

    public init(status: Int, reason: String) {
        self.status = status
        self.reason = reason
    }

    public var description: String { "\(status) \(reason)" }

    static func badRequest(_ reason: String) -> HTTPParseError { .init(status: 400, reason: reason) }
    static func headerTooLarge(_ reason: String) -> HTTPParseError { .init(status: 431, reason: reason) }
    static func bodyTooLarge(_ reason: String) -> HTTPParseError { .init(status: 413, reason: reason) }
}
