/// A value SQLite stores: its five storage classes, one case each.
///
/// Used both for parameters bound to statements and for columns read back,
/// so what goes in is exactly what comes out.
public enum SQLiteValue: Sendable, Equatable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public init(_ value: Int) { self = .integer(Int64(value)) }
    public init(_ value: Int64) { self = .integer(value) }
    public init(_ value: Double) { self = .real(value) }
    public init(_ value: String) { self = .text(value) }
    public init(_ value: [UInt8]) { self = .blob(value) }
    public init(_ value: Bool) { self = .integer(value ? 1 : 0) }

    /// `nil` becomes `.null`; handy for optional columns.
    public init(_ value: String?) { self = value.map { .text($0) } ?? .null }
    public init(_ value: Int64?) { self = value.map { .integer($0) } ?? .null }
    public init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
    public init(_ value: Double?) { self = value.map { .real($0) } ?? .null }
    public init(_ value: [UInt8]?) { self = value.map { .blob($0) } ?? .null }

    public var isNull: Bool { self == .null }

    /// The integer, or a real that is integral; `nil` for other classes.
    public var int64: Int64? {
        switch self {
        case .integer(let i): return i
        case .real(let d) where d == d.rounded(.towardZero) && abs(d) < 9.2e18: return Int64(d)
        default: return nil
        }
    }

    public var int: Int? { int64.map { Int($0) } }

    public var double: Double? {
        switch self {
        case .real(let d): return d
        case .integer(let i): return Double(i)
        default: return nil
        }
    }

    /// Text, or a blob that is valid UTF-8.
    public var string: String? {
        switch self {
        case .text(let s): return s
        case .blob(let b): return String(validating: b, as: UTF8.self)
        default: return nil
        }
    }

    /// A blob, or the UTF-8 bytes of text.
    public var bytes: [UInt8]? {
        switch self {
        case .blob(let b): return b
        case .text(let s): return Array(s.utf8)
        default: return nil
        }
    }
}

extension SQLiteValue: ExpressibleByNilLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral, ExpressibleByBooleanLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .real(value) }
    public init(stringLiteral value: String) { self = .text(value) }
    public init(booleanLiteral value: Bool) { self = .integer(value ? 1 : 0) }
}
