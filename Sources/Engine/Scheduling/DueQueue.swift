/// A min-heap of queue items ordered by due time (then id, i.e. insertion order).
struct DueQueue {
    private var heap: [QueueItem] = []

    var count: Int { heap.count }
    var isEmpty: Bool { heap.isEmpty }
    var earliestDueAt: Int64? { heap.first?.dueAt }

    mutating func insert(_ item: QueueItem) {
        heap.append(item)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest item if it is due at `now`.
    mutating func popDue(now: Int64) -> QueueItem? {
        guard let first = heap.first, first.dueAt <= now else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < heap.count, Self.before(heap[left], heap[smallest]) { smallest = left }
                if right < heap.count, Self.before(heap[right], heap[smallest]) { smallest = right }
                if smallest == parent { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return first
    }

    private static func before(_ a: QueueItem, _ b: QueueItem) -> Bool {
        a.dueAt != b.dueAt ? a.dueAt < b.dueAt : a.id < b.id
    }
}
