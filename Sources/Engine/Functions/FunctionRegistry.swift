import Foundation

/// The registered functions, indexed for trigger matching.
///
/// Read on every event, written only on registration; a lock keeps readers
/// cheap. The durable copy lives in the `functions` table and is loaded at start.
final class FunctionRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var byID: [String: FunctionDefinition] = [:]
    private var byEvent: [String: [FunctionDefinition]] = [:]
    /// Triggers ending in `*` (e.g. `app/*`) match by prefix.
    private var wildcard: [(prefix: String, function: FunctionDefinition)] = []

    private var anyPriority = false

    func function(_ id: String) -> FunctionDefinition? { lock.withLock { byID[id] } }

    /// True when some function sets `priority.run`; lets runs without one skip the lookup.
    var usesPriority: Bool { lock.withLock { anyPriority } }

    var all: [FunctionDefinition] { lock.withLock { Array(byID.values) } }

    /// Functions with an event trigger named `eventName` (exactly or by wildcard prefix).
    func functions(triggeredBy eventName: String) -> [FunctionDefinition] {
        lock.withLock {
            var found = byEvent[eventName] ?? []
            for (prefix, function) in wildcard where eventName.hasPrefix(prefix) && !found.contains(where: { $0.id == function.id }) {
                found.append(function)
            }
            return found
        }
    }

    /// Replaces every function of `appID` with `functions`.
    func replaceApp(_ appID: String, with functions: [FunctionDefinition]) {
        lock.withLock {
            for (id, f) in byID where f.appID == appID { byID[id] = nil }
            for f in functions { byID[f.id] = f }
            rebuildIndex()
        }
    }

    private func rebuildIndex() {
        byEvent = [:]
        wildcard = []
        anyPriority = byID.values.contains { $0.priority != nil }
        for f in byID.values.sorted(by: { $0.id < $1.id }) {
            for name in Set(f.eventTriggers.map(\.name)) {
                if name.hasSuffix("*") {
                    wildcard.append((String(name.dropLast()), f))
                } else {
                    byEvent[name, default: []].append(f)
                }
            }
        }
    }
}
