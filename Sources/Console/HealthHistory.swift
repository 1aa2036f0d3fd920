import Ops

/// Each service's last known state and the transitions between states
/// (degraded, down, recovered), kept in memory and bounded. Pure: the caller
/// runs the checks and passes the results with the time they were taken.
public struct HealthHistory: Sendable {
    public struct Transition: Sendable, Equatable {
        public let at: Int64
        public let machine: String
        public let service: String
        public let from: HealthState?
        public let to: HealthState
        public let detail: String
        /// Back to `up` from something worse.
        public var isRecovery: Bool { to == .up && from != nil && from != .up }
    }

    public private(set) var last: [String: HealthState] = [:]
    /// Newest last; at most `capacity`.
    public private(set) var transitions: [Transition] = []
    let capacity: Int

    public init(capacity: Int = 200) { self.capacity = max(1, capacity) }

    /// Records one round of checks; returns the transitions it caused (the
    /// first sighting of a service counts as one, from nothing).
    @discardableResult
    public mutating func record(_ statuses: [ServiceStatus], at now: Int64) -> [Transition] {
        var new: [Transition] = []
        for status in statuses {
            let key = status.machine + "/" + status.service
            let previous = last[key]
            guard previous != status.state else { continue }
            last[key] = status.state
            new.append(Transition(at: now, machine: status.machine, service: status.service, from: previous,
                                  to: status.state, detail: status.detail))
        }
        transitions += new
        if transitions.count > capacity { transitions.removeFirst(transitions.count - capacity) }
        return new
    }
}
