import JSON

/// A parsed expression in the CEL subset Inngest uses for trigger filters,
/// `waitForEvent` `if`, cancellation matches and flow-control keys.
///
/// Supported: field paths rooted at `event` or `async` (`event.data.id`,
/// `event.data["odd key"]`, `async.data.items[0]`), string (single or double
/// quoted), number, `true`/`false`/`null` literals, `==`, `!=`, `<`, `>`, `<=`,
/// `>=`, `&&`, `||`, `!`, `+` (string concatenation or addition), unary `-`,
/// the conditional `c ? a : b` (how priority factors are usually written), and
/// parentheses. Parsed once (at registration, or when a wait is created)
/// and evaluated many times against JSON.
///
/// Evaluation never throws: a missing field is `null`, comparisons between
/// values of different kinds are false, and `&&`/`||`/`!` treat anything other
/// than `true` as false — so a filter that refers to absent data simply does
/// not match, which is what Inngest does.
public struct Expression: Sendable, Equatable, CustomStringConvertible {
    public let source: String
    let root: ExpressionNode

    /// Parses `source`; throws `ExpressionError` pointing at the offending offset.
    public init(_ source: String) throws {
        self.source = source
        var parser = ExpressionParser(source: source)
        self.root = try parser.parseAll()
    }

    public var description: String { source }

    /// Evaluates with `event` (and optionally `async`) bound.
    public func evaluate(event: JSON, async: JSON? = nil) -> JSON {
        root.evaluate(ExpressionScope(event: event, async: async))
    }

    /// True only when the expression evaluates to boolean `true`.
    public func matches(event: JSON, async: JSON? = nil) -> Bool {
        evaluate(event: event, async: async) == .bool(true)
    }

    /// The roots (`event`, `async`) the expression refers to.
    public var referencedRoots: Set<String> { root.roots }
}

/// A parse failure with the character offset where it was noticed.
public struct ExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public let offset: Int
    public let source: String
    public var description: String { "invalid expression \(quoted(source)) at offset \(offset): \(message)" }

    private func quoted(_ s: String) -> String { "'" + s + "'" }
}

struct ExpressionScope {
    let event: JSON
    let async: JSON?
}
