/// A loop's or a story's duration for people: `45s`, `3m 07s`, `2h 05m`.
public enum LoopDuration {
    public static func format(milliseconds: Int) -> String {
        let seconds = max(0, milliseconds) / 1000
        if seconds < 60 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 60 { return "\(minutes)m \(pad(seconds % 60))s" }
        return "\(minutes / 60)h \(pad(minutes % 60))m"
    }

    private static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
