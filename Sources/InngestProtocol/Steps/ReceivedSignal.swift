import JSON

/// A signal that ended a `waitForSignal`: its name and the data its sender attached.
public struct ReceivedSignal: Sendable, Equatable {
    public let signal: String
    /// The `data` of the `POST /v1/signals` request, `null` when it had none.
    public let data: JSON

    public init(signal: String, data: JSON) {
        self.signal = signal
        self.data = data
    }

    /// `data` as `T`.
    public func decodeData<T: Decodable>(as type: T.Type) throws -> T { try data.decode(type) }
}
