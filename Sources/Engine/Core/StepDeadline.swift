import HTTP
import InngestProtocol
import Support

/// When a sleep ends or a wait or invocation times out, from the text a step
/// op carries: a duration from now (`"30s"`), or an absolute RFC 3339 time,
/// which is what `step.sleepUntil` sends. Texts of ten or more characters are
/// tried as times first, as the Inngest server does.
enum StepDeadline {
    /// Unix milliseconds, or nil when `text` is neither a time nor a duration.
    static func resolve(_ text: String, now: Int64) -> Int64? {
        if text.count >= 10, let milliseconds = UTCTimestamp.milliseconds(rfc3339: text) {
            return milliseconds
        }
        return InngestDuration(text).milliseconds.map { now + $0 }
    }
}
