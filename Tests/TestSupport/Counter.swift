import Foundation

/// A count shared between a test and the code it drives (how often a body
/// ran, which attempt this is), safe from any thread.
public final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    public init() {}

    /// Adds one and answers the new count (1 on the first call).
    @discardableResult public func next() -> Int { lock.withLock { count += 1; return count } }

    public var value: Int { lock.withLock { count } }
}
