/// What the functions saw while the server drove them, kept in this process so a
/// check can tell how often a step body really ran (memoisation) and what a
/// failure handler or a cron run received.
actor RunTally {
    static let shared = RunTally()
    private var counts: [String: Int] = [:]
    private var notes: [String: String] = [:]
    private var logs: [String: [String]] = [:]

    /// Counts one execution of the code identified by `key` (e.g. `"<runId>:<step>"`).
    func hit(_ key: String) { counts[key, default: 0] += 1 }
    func count(_ key: String) -> Int { counts[key, default: 0] }

    func note(_ key: String, _ text: String) { notes[key] = text }
    func note(_ key: String) -> String? { notes[key] }

    func log(_ key: String, _ entry: String) { logs[key, default: []].append(entry) }
    func logged(_ key: String) -> [String] { logs[key] ?? [] }
}

/// An ordinary (retriable) error thrown on purpose.
struct InteropError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
