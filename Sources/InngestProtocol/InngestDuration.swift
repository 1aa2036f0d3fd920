/// A span of time in the form the Inngest server reads: `"30s"`, `"5m"`, `"7d"`.
///
/// Write it as a string literal (`"1h30m"`), from a Swift `Duration`, or with
/// the helpers (`.seconds(30)`, `.days(7)`). The text is sent as-is, so any
/// unit the server accepts (`ms`, `s`, `m`, `h`, `d`, `w`) can be used.
public struct InngestDuration: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The wire form, e.g. `"90s"`.
    public let text: String

    public init(_ text: String) { self.text = text }
    public init(stringLiteral value: String) { self.text = value }

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
}
