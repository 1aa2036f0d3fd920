import Foundation
import JSON

/// Decides whether an incoming event ends a pause (a `waitForEvent`, an
/// invocation's wait for its result, or a cancellation watch).
///
/// A pause matches by correlation id (invocations), by expression (`if`
/// conditions, evaluated with the run's trigger as `event` and the incoming
/// event as `async`), or unconditionally. Expressions are parsed once and kept
/// in a bounded cache, since the same few conditions are met by every event.
final class PauseMatcher: @unchecked Sendable {
    private let lock = NSLock()
    private var expressions: [String: Expression] = [:]
    private let cacheLimit: Int

    init(cacheLimit: Int = 10_000) {
        self.cacheLimit = cacheLimit
    }

    /// True when `event` resumes `pause` at `now`: the pause has not expired
    /// and its condition holds. An expression that does not parse never matches.
    func resumes(_ pause: PauseRecord, with event: JSON, now: Int64) -> Bool {
        if let expires = pause.expiresAt, expires <= now { return false }
        if let correlation = pause.correlationID {
            return event["data"]?["correlation_id"]?.stringValue == correlation
        }
        if let text = pause.expression {
            guard let expression = expression(text) else { return false }
            let trigger = (try? JSON(parsing: pause.triggerEventText)) ?? .null
            return expression.matches(event: trigger, async: event)
        }
        return true
    }

    /// How many parsed expressions are cached (for tests).
    var cachedCount: Int { lock.withLock { expressions.count } }

    private func expression(_ text: String) -> Expression? {
        lock.withLock {
            if let e = expressions[text] { return e }
            guard let e = try? Expression(text) else { return nil }
            if expressions.count > cacheLimit { expressions.removeAll() }
            expressions[text] = e
            return e
        }
    }
}
