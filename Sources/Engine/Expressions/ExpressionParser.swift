import JSON

/// Recursive-descent parser for the `Expression` grammar:
///
///     cond    := or ('?' cond ':' cond)?
///     or      := and ('||' and)*
///     and     := compare ('&&' compare)*
///     compare := sum (('=='|'!='|'<'|'>'|'<='|'>=') sum)?
///     sum     := unary ('+' unary)*
///     unary   := '!' unary | '-' unary | primary
///     primary := literal | path | '(' cond ')'
///     path    := ('event'|'async') ('.' ident | '[' string ']' | '[' integer ']')*
///
/// Expressions come from registration bodies, so their size is bounded: at
/// most `maxNesting` open parentheses and unary operators at once, and at
/// most `maxOperands` operands in all. Both bound the parser's recursion and
/// the depth of the tree that evaluation, comparison and release walk
/// recursively (a long `a + a + …` chain is as deep as it is long).
struct ExpressionParser {
    static let maxNesting = 64
    static let maxOperands = 1_000

    let source: String
    private let bytes: [UInt8]
    private var position = 0
    private var nesting = 0
    private var operands = 0

    init(source: String) {
        self.source = source
        self.bytes = Array(source.utf8)
    }

    mutating func parseAll() throws -> ExpressionNode {
        skipSpace()
        guard position < bytes.count else { throw fail("expression is empty") }
        let node = try parseConditional()
        skipSpace()
        guard position == bytes.count else { throw fail("unexpected \(describeHere())") }
        return node
    }

    /// `condition ? then : else`, right-associative, as in CEL.
    private mutating func parseConditional() throws -> ExpressionNode {
        let condition = try parseOr()
        guard consume("?") else { return condition }
        let then = try parseConditional()
        guard consume(":") else { throw fail("expected ':' in a conditional, found \(describeHere())") }
        return .conditional(condition, then, try parseConditional())
    }

    private mutating func parseOr() throws -> ExpressionNode {
        var node = try parseAnd()
        while consume("||") { node = .binary(.or, node, try parseAnd()) }
        return node
    }

    private mutating func parseAnd() throws -> ExpressionNode {
        var node = try parseCompare()
        while consume("&&") { node = .binary(.and, node, try parseCompare()) }
        return node
    }

    private mutating func parseCompare() throws -> ExpressionNode {
        let left = try parseSum()
        for op in [ExpressionNode.BinaryOperator.equal, .notEqual, .lessOrEqual, .greaterOrEqual, .less, .greater] {
            if consume(op.rawValue) {
                let right = try parseSum()
                skipSpace()
                if peekComparison() { throw fail("comparisons cannot be chained; use && between them") }
                return .binary(op, left, right)
            }
        }
        return left
    }

    private mutating func parseSum() throws -> ExpressionNode {
        var node = try parseUnary()
        while consume("+") { node = .binary(.plus, node, try parseUnary()) }
        return node
    }

    private mutating func parseUnary() throws -> ExpressionNode {
        skipSpace()
        nesting += 1
        operands += 1
        defer { nesting -= 1 }
        if nesting > Self.maxNesting { throw fail("nested more than \(Self.maxNesting) deep") }
        if operands > Self.maxOperands { throw fail("more than \(Self.maxOperands) operands") }
        if peek("!") && !peek("!=") { position += 1; return .not(try parseUnary()) }
        if peek("-"), position + 1 < bytes.count, !isDigit(bytes[position + 1]) {
            position += 1
            return .negate(try parseUnary())
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws -> ExpressionNode {
        skipSpace()
        guard position < bytes.count else { throw fail("expression ends where a value was expected") }
        let c = bytes[position]
        if c == UInt8(ascii: "(") {
            position += 1
            let inner = try parseConditional()
            guard consume(")") else { throw fail("expected ')' but found \(describeHere())") }
            return inner
        }
        if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") { return .literal(.string(try parseString())) }
        if isDigit(c) || c == UInt8(ascii: "-") { return .literal(try parseNumber()) }
        if isIdentifierStart(c) {
            let start = position
            let name = parseIdentifier()
            switch name {
            case "true": return .literal(.bool(true))
            case "false": return .literal(.bool(false))
            case "null": return .literal(.null)
            case "event", "async": return .path(root: name, components: try parsePathComponents())
            default:
                position = start
                throw fail("unknown name '\(name)'; paths must start with 'event' or 'async'")
            }
        }
        throw fail("unexpected \(describeHere())")
    }

    private mutating func parsePathComponents() throws -> [ExpressionNode.PathComponent] {
        var components: [ExpressionNode.PathComponent] = []
        while position < bytes.count {
            if bytes[position] == UInt8(ascii: ".") {
                position += 1
                guard position < bytes.count, isIdentifierStart(bytes[position]) else {
                    throw fail("expected a field name after '.'")
                }
                components.append(.key(parseIdentifier()))
            } else if bytes[position] == UInt8(ascii: "[") {
                position += 1
                skipSpace()
                guard position < bytes.count else { throw fail("unterminated '['") }
                if bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'") {
                    components.append(.key(try parseString()))
                } else if isDigit(bytes[position]) {
                    let start = position
                    while position < bytes.count, isDigit(bytes[position]) { position += 1 }
                    guard let index = Int(String(decoding: bytes[start..<position], as: UTF8.self)) else {
                        throw fail("index is too large")
                    }
                    components.append(.index(index))
                } else {
                    throw fail("expected a quoted key or an index inside '[ ]'")
                }
                guard consume("]") else { throw fail("expected ']'") }
            } else {
                break
            }
        }
        return components
    }

    private mutating func parseString() throws -> String {
        let quote = bytes[position]
        let start = position
        position += 1
        var out: [UInt8] = []
        while position < bytes.count {
            let c = bytes[position]
            if c == quote { position += 1; return String(decoding: out, as: UTF8.self) }
            if c == UInt8(ascii: "\\") {
                position += 1
                guard position < bytes.count else { break }
                let e = bytes[position]
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "u"):
                    guard position + 4 < bytes.count,
                          let scalarValue = UInt32(String(decoding: bytes[(position + 1)...(position + 4)], as: UTF8.self), radix: 16),
                          let scalar = Unicode.Scalar(scalarValue)
                    else { throw fail("invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    position += 4
                default: throw fail("unknown escape '\\\(Character(Unicode.Scalar(e)))'")
                }
                position += 1
                continue
            }
            out.append(c)
            position += 1
        }
        position = start
        throw fail("unterminated string")
    }

    private mutating func parseNumber() throws -> JSON {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        while position < bytes.count, isDigit(bytes[position]) || bytes[position] == UInt8(ascii: ".")
            || bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E")
            || ((bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-"))
                && (bytes[position - 1] == UInt8(ascii: "e") || bytes[position - 1] == UInt8(ascii: "E")))
        {
            position += 1
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard let value = try? JSON(parsing: text), case .number = value else {
            position = start
            throw fail("invalid number '\(text)'")
        }
        return value
    }

    private mutating func parseIdentifier() -> String {
        let start = position
        while position < bytes.count, isIdentifierStart(bytes[position]) || isDigit(bytes[position]) { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    // MARK: Lexical helpers

    private mutating func skipSpace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    private func peek(_ token: String) -> Bool {
        let t = Array(token.utf8)
        guard position + t.count <= bytes.count else { return false }
        return Array(bytes[position..<(position + t.count)]) == t
    }

    private func peekComparison() -> Bool {
        ["==", "!=", "<", ">"].contains { peek($0) }
    }

    /// Skips spaces, then consumes `token` when it is next.
    private mutating func consume(_ token: String) -> Bool {
        skipSpace()
        guard peek(token) else { return false }
        // Do not split `<=` into `<` + `=`, nor read `=` alone.
        if token == "<" || token == ">" {
            if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "=") { return false }
        }
        position += token.utf8.count
        return true
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    private func isIdentifierStart(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "_")
    }

    private func describeHere() -> String {
        guard position < bytes.count else { return "end of expression" }
        let rest = String(decoding: bytes[position...].prefix(12), as: UTF8.self)
        return "'\(rest)'"
    }

    private func fail(_ message: String) -> ExpressionError {
        ExpressionError(message: message, offset: position, source: source)
    }
}
