import JSON

/// What starts a function: an event (optionally filtered by an expression) or a cron schedule.
///
/// ```swift
/// triggers: [.event("app/user.created", if: "event.data.plan == 'pro'"),
///            .cron("*/15 * * * *"),
///            .cron("0 9 * * *", timezone: "Europe/Berlin")]
/// ```
public struct FunctionTrigger: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case event(name: String, expression: String?)
        case cron(String)
    }
    let kind: Kind

    /// Runs the function for each event named `name`; `expression` (CEL, sees `event`) filters them.
    public static func event(_ name: String, if expression: String? = nil) -> FunctionTrigger {
        FunctionTrigger(kind: .event(name: name, expression: expression))
    }

    /// Runs the function on a cron schedule. With `timezone`, the schedule is sent
    /// as `TZ=<zone> <schedule>`, which the server interprets in that zone; without, UTC.
    public static func cron(_ schedule: String, timezone: String? = nil) -> FunctionTrigger {
        let text = timezone.map { "TZ=\($0) \(schedule)" } ?? schedule
        return FunctionTrigger(kind: .cron(text))
    }

    /// The event name, when this is an event trigger.
    public var eventName: String? { if case .event(let n, _) = kind { return n } else { return nil } }
    /// The full cron text (including any `TZ=` prefix), when this is a cron trigger.
    public var cronSchedule: String? { if case .cron(let c) = kind { return c } else { return nil } }

    /// The register-payload form: `{"event","expression"?}` or `{"cron"}`.
    public var json: JSON {
        switch kind {
        case .event(let name, let expression):
            var o = JSONObject()
            o["event"] = .string(name)
            if let expression { o["expression"] = .string(expression) }
            return .object(o)
        case .cron(let schedule):
            return ["cron": .string(schedule)]
        }
    }
}
