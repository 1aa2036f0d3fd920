/// Comparison whose running time does not depend on where inputs differ, for
/// checking signatures and tokens without leaking how much of a guess was right.
public enum ConstantTime {
    /// True when `a` and `b` are byte-for-byte equal. Only the length leaks.
    public static func equals<A: Collection, B: Collection>(_ a: A, _ b: B) -> Bool
    where A.Element == UInt8, B.Element == UInt8 {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }

    /// Compares the UTF-8 bytes of two strings.
    public static func equals(_ a: String, _ b: String) -> Bool {
        equals(Array(a.utf8), Array(b.utf8))
    }
}
