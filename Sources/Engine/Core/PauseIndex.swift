import Foundation
import JSON

/// The lookup key that lets an incoming event find the few pauses it can
/// resume among many, instead of evaluating every pause waiting for its name.
///
/// A pause is indexed by (path, value) when every event resuming it must
/// carry `value` at `path`: an invocation's result must carry its correlation
/// id at `data.correlation_id`; a condition with an `async.<path> == <trigger
/// field or literal>` equality must carry that trigger value at the path.
/// Other pauses (no condition, or one without such an equality) are not
/// indexed and are evaluated for every event of their name, as before. The
/// index only narrows the candidates: each is still checked in full by
/// `PauseMatcher`.
enum PauseIndex {
    struct Key: Equatable {
        /// The path as a JSON array of keys and indexes, e.g. `["data","key"]`.
        let path: String
        /// The value in `canonical` form.
        let value: String
    }

    static let correlationPath: [ExpressionNode.PathComponent] = [.key("data"), .key("correlation_id")]

    /// The key for a pause with condition `expression` (trigger `trigger`) or
    /// with an invocation `correlationID`; nil when it cannot be indexed.
    static func key(expression: Expression?, trigger: JSON, correlationID: String?) -> Key? {
        if let correlationID {
            return canonical(.string(correlationID)).map { Key(path: pathText(correlationPath), value: $0) }
        }
        guard let expression, let (path, other) = expression.asyncEquality(),
              let value = canonical(expression.evaluateOther(other, event: trigger)) else { return nil }
        return Key(path: pathText(path), value: value)
    }

    /// The canonical value `event` carries at a stored path, to look up pauses with.
    static func value(of event: JSON, atPath text: String) -> String? {
        guard let components = (try? JSON(parsing: text))?.arrayValue else { return nil }
        var current: JSON? = event
        for component in components {
            switch component {
            case .string(let key): current = current?[key]
            case .number(let n):
                guard let index = Int(exactly: n.doubleValue) else { return nil }
                current = current?[index]
            default: return nil
            }
        }
        return canonical(current ?? .null)
    }

    /// Text equal for exactly the values `==` calls equal: numbers by value,
    /// strings by canonical equivalence (as Swift compares them). Arrays and
    /// objects are not indexed (nil).
    static func canonical(_ value: JSON) -> String? {
        switch value {
        case .string(let s): return "s" + s.precomposedStringWithCanonicalMapping
        case .number(let n):
            let d = n.doubleValue
            return "n" + (d == 0 ? "0" : String(d))
        case .bool(let b): return b ? "t" : "f"
        case .null: return "z"
        default: return nil
        }
    }

    static func pathText(_ path: [ExpressionNode.PathComponent]) -> String {
        JSON.array(path.map { component in
            switch component {
            case .key(let k): return .string(k)
            case .index(let i): return .number(JSONNumber(i))
            }
        }).serialized()
    }
}
