/// What the engine is doing at one instant, read without waiting for it.
///
/// `isIdle` is what a test with a manual clock needs to show that nothing
/// happens after time moves: once the engine is idle it does nothing more
/// until the clock advances or work arrives, so an assertion made then is
/// final, where a sleep could only hope it had waited long enough.
public struct EngineActivity: Sendable, Equatable {
    /// Whether a queue item is due at the clock's current time and not yet dispatched.
    public var hasDueWork: Bool
    /// Items dispatched and not yet finished (worker calls, timers firing).
    public var inFlight: Int
    /// Calls parked until a concurrency slot frees (they hold no scheduler slot).
    public var waitingForConcurrency: Int

    /// Nothing due and nothing in flight. Parked calls wait for a call in flight to
    /// finish, so while any could still start the engine is not idle.
    public var isIdle: Bool { !hasDueWork && inFlight == 0 }
}
