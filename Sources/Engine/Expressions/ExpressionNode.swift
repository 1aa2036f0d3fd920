import JSON

/// The syntax tree of an `Expression` and its evaluation rules.
indirect enum ExpressionNode: Sendable, Equatable {
    case literal(JSON)
    case path(root: String, components: [PathComponent])
    case not(ExpressionNode)
    case negate(ExpressionNode)
    case binary(BinaryOperator, ExpressionNode, ExpressionNode)
    /// `condition ? then : otherwise`; anything but `true` picks `otherwise`.
    case conditional(ExpressionNode, ExpressionNode, ExpressionNode)

    enum PathComponent: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    enum BinaryOperator: String, Sendable {
        case and = "&&", or = "||", equal = "==", notEqual = "!=", less = "<", greater = ">"
        case lessOrEqual = "<=", greaterOrEqual = ">=", plus = "+"
    }

    var roots: Set<String> {
        switch self {
        case .literal: return []
        case .path(let root, _): return [root]
        case .not(let e), .negate(let e): return e.roots
        case .binary(_, let l, let r): return l.roots.union(r.roots)
        case .conditional(let c, let t, let o): return c.roots.union(t.roots).union(o.roots)
        }
    }

    func evaluate(_ scope: ExpressionScope) -> JSON {
        switch self {
        case .literal(let value):
            return value
        case .path(let root, let components):
            var current: JSON? = root == "event" ? scope.event : scope.async
            for component in components {
                switch component {
                case .key(let k): current = current?[k]
                case .index(let i): current = current?[i]
                }
            }
            return current ?? .null
        case .not(let e):
            return .bool(e.evaluate(scope) != .bool(true))
        case .negate(let e):
            guard case .number(let n) = e.evaluate(scope) else { return .null }
            return .number(JSONNumber(-n.doubleValue))
        case .conditional(let c, let t, let o):
            return c.evaluate(scope) == .bool(true) ? t.evaluate(scope) : o.evaluate(scope)
        case .binary(let op, let l, let r):
            switch op {
            case .and:
                guard l.evaluate(scope) == .bool(true) else { return .bool(false) }
                return .bool(r.evaluate(scope) == .bool(true))
            case .or:
                if l.evaluate(scope) == .bool(true) { return .bool(true) }
                return .bool(r.evaluate(scope) == .bool(true))
            case .equal:
                return .bool(Self.equal(l.evaluate(scope), r.evaluate(scope)))
            case .notEqual:
                return .bool(!Self.equal(l.evaluate(scope), r.evaluate(scope)))
            case .less, .greater, .lessOrEqual, .greaterOrEqual:
                guard let order = Self.compare(l.evaluate(scope), r.evaluate(scope)) else { return .bool(false) }
                switch op {
                case .less: return .bool(order < 0)
                case .greater: return .bool(order > 0)
                case .lessOrEqual: return .bool(order <= 0)
                default: return .bool(order >= 0)
                }
            case .plus:
                let a = l.evaluate(scope), b = r.evaluate(scope)
                switch (a, b) {
                case (.number(let x), .number(let y)): return .number(JSONNumber(x.doubleValue + y.doubleValue))
                case (.string(let x), .string(let y)): return .string(x + y)
                case (.string(let x), _): return .string(x + Self.text(b))
                case (_, .string(let y)): return .string(Self.text(a) + y)
                default: return .null
                }
            }
        }
    }

    /// Deep equality with numbers compared by value (`1 == 1.0`).
    static func equal(_ a: JSON, _ b: JSON) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x.doubleValue == y.doubleValue
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { entry in y[entry.key].map { equal(entry.value, $0) } ?? false }
        default: return a == b
        }
    }

    /// Ordering for numbers and for strings; nil for anything else.
    static func compare(_ a: JSON, _ b: JSON) -> Int? {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            let dx = x.doubleValue, dy = y.doubleValue
            return dx < dy ? -1 : (dx > dy ? 1 : 0)
        case (.string(let x), .string(let y)):
            return x < y ? -1 : (x > y ? 1 : 0)
        default: return nil
        }
    }

    /// The text used when a non-string joins a string with `+` (keys built from ids).
    static func text(_ value: JSON) -> String {
        if case .string(let s) = value { return s }
        return value.serialized()
    }
}
