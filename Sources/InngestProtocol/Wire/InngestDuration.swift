import Foundation

/// A span of time in the form the Inngest server reads: `"30s"`, `"5m"`, `"7d"`,
/// or several groups together (`"2h45m"`); units `ms`, `s`, `m`, `h`, `d`, `w`.
///
/// Write it as a string literal (`"1h30m"`), from a Swift `Duration`, or with
/// the helpers (`.seconds(30)`, `.days(7)`). The text is sent as written;
/// `milliseconds` reads it back (nil when it is not a duration), which is how
/// the embedded engine validates the durations functions and steps send, and
/// `init(validating:)` refuses a malformed text up front.
public struct InngestDuration: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The wire form, e.g. `"90s"`.
    public let text: String

    public init(_ text: String) { self.text = text }
    public init(stringLiteral value: String) { self.text = value }

    /// A duration from text that must parse; nil for anything else (`"5y"`, `"soon"`, `"-1s"`).
    public init?(validating text: String) {
        guard Self.milliseconds(parsing: text) != nil else { return nil }
        self.text = text
    }

    /// Converts a Swift `Duration`; whole seconds become `"Ns"`, anything finer `"Nms"`.
    public init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 {
            self.text = "\(seconds)s"
        } else {
            let ms = seconds * 1000 + attoseconds / 1_000_000_000_000_000
            self.text = "\(max(ms, 1))ms"
        }
    }

    public static func milliseconds(_ n: Int) -> InngestDuration { InngestDuration("\(n)ms") }
    public static func seconds(_ n: Int) -> InngestDuration { InngestDuration("\(n)s") }
    public static func minutes(_ n: Int) -> InngestDuration { InngestDuration("\(n)m") }
    public static func hours(_ n: Int) -> InngestDuration { InngestDuration("\(n)h") }
    public static func days(_ n: Int) -> InngestDuration { InngestDuration("\(n)d") }

    public var description: String { text }

    /// The span in milliseconds, or nil when `text` is not a duration.
    public var milliseconds: Int64? { Self.milliseconds(parsing: text) }

    /// Parses one or more `<number><unit>` groups (surrounding spaces allowed,
    /// fractions such as `1.5s` too). Nil for an empty text, a number without a
    /// unit, an unknown unit, a sign, or a total beyond about 285,000 years
    /// (so the result never overflows when added to a time).
    static func milliseconds(parsing text: String) -> Int64? {
        let bytes = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        guard !bytes.isEmpty else { return nil }
        var total: Double = 0
        var i = 0
        while i < bytes.count {
            let start = i
            while i < bytes.count, (bytes[i] >= 0x30 && bytes[i] <= 0x39) || bytes[i] == UInt8(ascii: ".") { i += 1 }
            guard i > start, let number = Double(String(decoding: bytes[start..<i], as: UTF8.self)) else { return nil }
            let unitStart = i
            while i < bytes.count, (bytes[i] >= 0x61 && bytes[i] <= 0x7A) || (bytes[i] >= 0x41 && bytes[i] <= 0x5A) { i += 1 }
            guard let scale = unitMilliseconds[String(decoding: bytes[unitStart..<i], as: UTF8.self).lowercased()] else {
                return nil
            }
            total += number * scale
        }
        guard total.isFinite, total < 9e15 else { return nil }
        return Int64(total)
    }

    private static let unitMilliseconds: [String: Double] = [
        "ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000,
    ]
}
