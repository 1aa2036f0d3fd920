/// What a wait does when another run is already waiting for the same signal.
/// A signal names at most one waiting run in an environment, so one of the two has to give way.
public enum SignalConflict: String, Sendable {
    /// The run that asks second fails at once, without retries (the server's default).
    case fail
    /// The new wait takes the signal over; the run waiting before keeps waiting
    /// until its timeout, since the signal no longer reaches it.
    case replace
}
