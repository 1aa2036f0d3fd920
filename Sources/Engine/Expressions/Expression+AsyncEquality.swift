import JSON

extension Expression {
    /// An equality the expression requires between a field of the incoming
    /// event (`async.<path>`) and something that does not depend on it (a
    /// trigger field or a literal): a top-level `==`, or one among top-level
    /// `&&` conjuncts. Nil when there is none (`||`, `!=`, no `async`, …).
    ///
    /// Every match must satisfy it, so a waiting pause can be found by the
    /// value of that one field instead of evaluating every pause for every
    /// event (see `PauseIndex`).
    func asyncEquality() -> (path: [ExpressionNode.PathComponent], other: ExpressionNode)? {
        Self.asyncEquality(in: root)
    }

    private static func asyncEquality(in node: ExpressionNode) -> (path: [ExpressionNode.PathComponent], other: ExpressionNode)? {
        switch node {
        case .binary(.and, let left, let right):
            return asyncEquality(in: left) ?? asyncEquality(in: right)
        case .binary(.equal, let left, let right):
            if case .path("async", let path) = left, !right.roots.contains("async") { return (path, right) }
            if case .path("async", let path) = right, !left.roots.contains("async") { return (path, left) }
            return nil
        default:
            return nil
        }
    }

    /// The value of `other` (from `asyncEquality`) with the trigger bound to `event`.
    func evaluateOther(_ other: ExpressionNode, event: JSON) -> JSON {
        other.evaluate(ExpressionScope(event: event, async: nil))
    }
}
