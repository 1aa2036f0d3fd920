import JSON

/// The call request's `steps` map: hashed step id → memo.
struct StepMemos: Sendable {
    private let entries: [StepHashKey: JSON]
    /// How many entries are completed steps (not `{"input":…}` placeholders).
    let completedCount: Int

    init(_ steps: JSONObject) {
        var entries: [StepHashKey: JSON] = [:]
        entries.reserveCapacity(steps.count)
        var completed = 0
        for (key, value) in steps {
            entries[StepHashKey(key)] = value
        }
        for value in entries.values where StepMemo(value).isCompleted { completed += 1 }
        self.entries = entries
        self.completedCount = completed
    }

    init() {
        entries = [:]
        completedCount = 0
    }

    var count: Int { entries.count }

    /// These memos plus one more.
    func adding(_ hashedId: String, _ memo: JSON) -> StepMemos {
        var copy = entries
        let isNew = copy.updateValue(memo, forKey: StepHashKey(hashedId)) == nil
        let wasCompleted = !isNew && entries[StepHashKey(hashedId)].map { StepMemo($0).isCompleted } == true
        return StepMemos(entries: copy, completedCount: completedCount + (StepMemo(memo).isCompleted ? 1 : 0) - (wasCompleted ? 1 : 0))
    }

    private init(entries: [StepHashKey: JSON], completedCount: Int) {
        self.entries = entries
        self.completedCount = completedCount
    }

    subscript(hashedId: String) -> StepMemo? {
        entries[StepHashKey(hashedId)].map(StepMemo.init)
    }
}

/// A hashed step id as a dictionary key. Ids are hex SHA-1 digests, already
/// uniformly spread, so hashing their first 16 characters is as good as
/// hashing all 40 and a good deal cheaper (this was a visible cost per step).
struct StepHashKey: Hashable, Sendable {
    let id: String
    let prefix: UInt64

    init(_ id: String) {
        self.id = id
        var text = id
        self.prefix = text.withUTF8 { bytes -> UInt64 in
            guard bytes.count >= 16, let base = bytes.baseAddress else {
                return bytes.reduce(0) { $0 &* 31 &+ UInt64($1) }
            }
            let raw = UnsafeRawPointer(base)
            return raw.loadUnaligned(as: UInt64.self) &* 0x9E37_79B9_7F4A_7C15
                ^ raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        }
    }

    func hash(into hasher: inout Hasher) { hasher.combine(prefix) }
    static func == (a: StepHashKey, b: StepHashKey) -> Bool { a.prefix == b.prefix && a.id == b.id }
}
