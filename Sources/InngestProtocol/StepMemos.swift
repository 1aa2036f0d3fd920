import JSON

/// The call request's `steps` map: hashed step id → memo.
struct StepMemos: Sendable {
    private let entries: [String: JSON]
    /// How many entries are completed steps (not `{"input":…}` placeholders).
    let completedCount: Int

    init(_ steps: JSONObject) {
        var entries: [String: JSON] = [:]
        entries.reserveCapacity(steps.count)
        var completed = 0
        for (key, value) in steps {
            entries[key] = value
        }
        for value in entries.values where StepMemo(value).isCompleted { completed += 1 }
        self.entries = entries
        self.completedCount = completed
    }

    init() {
        entries = [:]
        completedCount = 0
    }

    subscript(hashedId: String) -> StepMemo? {
        entries[hashedId].map(StepMemo.init)
    }

    var hashedIds: [String] { Array(entries.keys) }
}
