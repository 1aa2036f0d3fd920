import Foundation

/// Enforces `concurrency` limits: at most `limit` worker calls in flight per
/// key (a function, or a function/env plus the value of its key expression).
///
/// Calls that find their key full are parked here rather than holding a
/// scheduler slot; a release hands back the parked calls that now fit, in
/// queue order (due time, which carries a run's priority factor, then
/// insertion), so a higher-priority run takes the next free slot. Kept
/// in memory only: nothing is in flight after a restart, so there is nothing
/// to recover.
final class ConcurrencyLimiter: @unchecked Sendable {
    private let lock = NSLock()
    private var active: [String: Int] = [:]
    private var parked: [(keys: [(key: String, limit: Int)], item: QueueItem)] = []
    /// Items handed back by `release` whose slots are already taken for them.
    private var reserved: Set<Int64> = []

    /// Takes a slot on every key, or parks `item` and returns false.
    func acquire(_ keys: [(key: String, limit: Int)], item: QueueItem) -> Bool {
        if keys.isEmpty { return true }
        return lock.withLock {
            if reserved.remove(item.id) != nil { return true }
            if fits(keys) {
                take(keys)
                return true
            }
            // Kept sorted by (due time, id): the first that fits is the one the queue would run first.
            var low = 0, high = parked.count
            while low < high {
                let mid = (low + high) / 2
                let other = parked[mid].item
                if (other.dueAt, other.id) <= (item.dueAt, item.id) { low = mid + 1 } else { high = mid }
            }
            parked.insert((keys, item), at: low)
            return false
        }
    }

    /// Calls parked until a slot frees.
    var parkedCount: Int { lock.withLock { parked.count } }

    /// Frees the slots and returns parked items that can now run (their slots already taken).
    func release(_ keys: [(key: String, limit: Int)]) -> [QueueItem] {
        if keys.isEmpty { return [] }
        return lock.withLock {
            for k in keys { active[k.key, default: 1] -= 1; if active[k.key] == 0 { active[k.key] = nil } }
            var ready: [QueueItem] = []
            var index = 0
            while index < parked.count {
                if fits(parked[index].keys) {
                    take(parked[index].keys)
                    let item = parked.remove(at: index).item
                    reserved.insert(item.id)
                    ready.append(item)
                } else {
                    index += 1
                }
            }
            return ready
        }
    }

    /// For an item that will not be called after all (its run ended while it
    /// waited): gives back the slots `release` took for it, if any, and returns
    /// the parked items that now fit.
    func abandon(_ keys: [(key: String, limit: Int)], item: QueueItem) -> [QueueItem] {
        if keys.isEmpty { return [] }
        let held = lock.withLock {
            parked.removeAll { $0.item.id == item.id }
            return reserved.remove(item.id) != nil
        }
        return held ? release(keys) : []
    }

    private func fits(_ keys: [(key: String, limit: Int)]) -> Bool {
        keys.allSatisfy { (active[$0.key] ?? 0) < $0.limit }
    }

    private func take(_ keys: [(key: String, limit: Int)]) {
        for k in keys { active[k.key, default: 0] += 1 }
    }
}
