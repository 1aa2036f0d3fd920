/// Why a test harness could not do what a test asked (a worker that never
/// started, a run that never finished, a peer that answered nonsense): the
/// one error type harnesses throw, so a failure reads as its message.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}
