/// A call request, memo or server reply that does not have the expected shape.
/// The serve handler turns it into a `400`/`500` with a JSON error body.
public struct InngestWireError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
