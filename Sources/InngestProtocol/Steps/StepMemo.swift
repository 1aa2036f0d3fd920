import JSON

/// What the server remembers about one step, from the call request's `steps` map.
///
/// The rules (docs/serve-protocol.md, "Memos"): an object whose only key is `data` is a result, one
/// whose only key is `error` a failure, one whose only key is `input` a step that
/// has not finished (treated as not memoised); anything else (`null` after a
/// sleep or a timed-out wait, an event object after a matched wait) is the
/// result itself.
public enum StepMemo: Sendable, Equatable {
    case data(JSON)
    case error(JSON)
    case pending
    case value(JSON)

    public init(_ raw: JSON) {
        if case .object(let o) = raw, o.count == 1, let entry = o.entries.first {
            switch entry.key {
            case "data": self = .data(entry.value); return
            case "error": self = .error(entry.value); return
            case "input": self = .pending; return
            default: break
            }
        }
        self = .value(raw)
    }

    /// Whether the step has completed (successfully or not).
    public var isCompleted: Bool { if case .pending = self { return false } else { return true } }
}
