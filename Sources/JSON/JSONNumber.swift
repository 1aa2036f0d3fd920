/// A JSON number kept as its literal text, so no precision is lost in transit.
///
/// Equality is textual: `1` and `1.0` are different literals. Use
/// `doubleValue`/`intValue` to compare numerically.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The literal as it appears in JSON text (validated by the parser or produced by an initialiser).
    public let text: String

    /// Wraps an already valid JSON number literal. Internal: only the parser and initialisers create literals.
    init(validLiteral: String) { self.text = validLiteral }

    public init(_ value: Int) { self.text = String(value) }
    public init(_ value: Int64) { self.text = String(value) }
    public init(_ value: UInt64) { self.text = String(value) }

    /// Non-finite doubles have no JSON form and become `0`.
    public init(_ value: Double) {
        if !value.isFinite {
            self.text = "0"
        } else if value == value.rounded(.towardZero), abs(value) < 1e15 {
            self.text = String(Int64(value))
        } else {
            self.text = "\(value)"
        }
    }

    public var doubleValue: Double { Double(text) ?? 0 }

    /// The value as an integer when the literal is integral and fits in `Int`.
    public var intValue: Int? {
        if let i = Int(text) { return i }
        let d = doubleValue
        guard d.isFinite, d == d.rounded(.towardZero), abs(d) < 9.0e18 else { return nil }
        return Int(d)
    }

    public var description: String { text }
}
