import InngestProtocol
import JSON

/// A function as registered through `POST /fn/register`, validated and with
/// every expression and cron schedule parsed once.
///
/// Anything the engine cannot honour (checkpointing, unknown keys, values the
/// Inngest server refuses) is rejected by `init(config:appID:)` with a message
/// naming the function and the setting, instead of being silently ignored — a
/// function that silently lost its flow control would misbehave in ways nobody
/// would notice until it mattered.
public struct FunctionDefinition: Sendable {
    public enum Trigger: Sendable {
        case event(name: String, expression: Expression?)
        case cron(CronSchedule)
    }

    public enum ConcurrencyScope: String, Sendable { case function = "fn", environment = "env", account = "account" }

    public struct ConcurrencyLimit: Sendable {
        public let limit: Int
        public let key: Expression?
        public let scope: ConcurrencyScope
    }

    public struct CancelRule: Sendable {
        public let event: String
        public let condition: Expression?
        public let timeoutMilliseconds: Int64?
    }

    public struct Debounce: Sendable {
        public let periodMilliseconds: Int64
        public let key: Expression?
        public let timeoutMilliseconds: Int64?
    }

    /// Used for both throttle (delays runs) and rate limit (drops them).
    public struct RateControl: Sendable {
        public let limit: Int
        public let periodMilliseconds: Int64
        public let burst: Int
        public let key: Expression?
    }

    public let id: String
    public let name: String
    public let appID: String
    /// The serve URL to call, including `fnId=` (the engine sets `stepId=`).
    public let url: String
    public let triggers: [Trigger]
    /// Retries after the first attempt; the SDK is told `max_attempts = retries + 1`.
    public let retries: Int
    public let concurrency: [ConcurrencyLimit]
    public let cancel: [CancelRule]
    public let debounce: Debounce?
    public let throttle: RateControl?
    public let rateLimit: RateControl?
    public let idempotency: Expression?
    public let batch: Batch?
    public let singleton: Singleton?
    public let timeouts: Timeouts?
    /// `priority.run`: seconds by which the run's calls move ahead (or, negative, back) in the queue.
    public let priority: Expression?
    /// Cron `jitter` in milliseconds by cron text; absent means none.
    public let cronJitter: [String: Int64]
    /// The config exactly as registered, stored and returned by the API.
    public let config: JSON

    public var maxAttempts: Int { retries + 1 }

    /// The default when `retries.attempts` is absent, as on the Inngest server.
    public static let defaultRetries = 4
    public static let maximumRetries = 20

    static let supportedKeys: Set<String> = [
        "id", "name", "triggers", "steps", "concurrency", "cancel", "debounce", "throttle",
        "rateLimit", "idempotency", "retries", "batchEvents", "priority", "singleton", "timeouts",
        // Async checkpointing is the SDK's doing; the setting is shown by the server's UI only.
        "checkpoint",
    ]
    static let unsupportedKeys: [String: String] = [:]

    public init(config: JSON, appID: String) throws {
        guard case .object(let object) = config else { throw EngineRegistrationError("a function must be a JSON object") }
        guard let id = object["id"]?.stringValue, !id.isEmpty else { throw EngineRegistrationError("a function is missing its 'id'") }
        func fail(_ message: String) -> EngineRegistrationError { EngineRegistrationError("function '\(id)': \(message)") }

        for (key, value) in object where !Self.supportedKeys.contains(key) {
            if value.isNull { continue }
            if let feature = Self.unsupportedKeys[key] {
                throw fail("'\(key)' (\(feature)) is not supported by the embedded engine; remove it or use an Inngest server")
            }
            throw fail("unknown setting '\(key)'")
        }

        guard let name = object["name"]?.stringValue, !name.isEmpty else { throw fail("a function name is required") }
        if let checkpoint = object["checkpoint"], !checkpoint.isNull, checkpoint.objectValue == nil {
            throw fail("'checkpoint' must be an object")
        }

        // Steps: exactly the single HTTP step every SDK registers.
        guard case .object(let steps)? = object["steps"], let (_, step) = steps.entries.first else {
            throw fail("'steps' must hold the function's HTTP step")
        }
        guard steps.count == 1 else { throw fail("only one step entry is supported, found \(steps.count)") }
        if let type = step["runtime"]?["type"]?.stringValue, type != "http" {
            throw fail("runtime type '\(type)' is not supported; only 'http'")
        }
        guard let url = step["runtime"]?["url"]?.stringValue, url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw fail("steps.step.runtime.url must be an http(s) URL")
        }
        var retries = Self.defaultRetries
        if let attempts = step["retries"]?["attempts"] ?? object["retries"]?["attempts"], !attempts.isNull {
            guard let n = attempts.intValue, n >= 0, n <= Self.maximumRetries else {
                throw fail("retries.attempts must be an integer from 0 to \(Self.maximumRetries)")
            }
            retries = n
        }

        // Triggers.
        guard let triggerList = object["triggers"]?.arrayValue, !triggerList.isEmpty else {
            throw fail("at least one trigger is required")
        }
        guard triggerList.count <= 10 else { throw fail("at most 10 triggers are allowed") }
        var triggers: [Trigger] = []
        var cronJitter: [String: Int64] = [:]
        for trigger in triggerList {
            if let event = trigger["event"]?.stringValue {
                guard !event.isEmpty else { throw fail("trigger event name is empty") }
                var expression: Expression?
                if let text = trigger["expression"]?.stringValue, !text.isEmpty {
                    do { expression = try Expression(text) } catch { throw fail("trigger expression: \(error)") }
                }
                triggers.append(.event(name: event, expression: expression))
            } else if let cron = trigger["cron"]?.stringValue {
                let jitter = try Self.cronJitter(trigger["jitter"], fail)
                do { triggers.append(.cron(try CronSchedule(cron))) } catch { throw fail("\(error)") }
                if jitter > 0 { cronJitter[cron] = jitter }
            } else {
                throw fail("each trigger needs 'event' or 'cron'")
            }
        }

        // Concurrency: a number, an object, or an array of objects.
        var limits: [ConcurrencyLimit] = []
        if let c = object["concurrency"], !c.isNull {
            let items: [JSON]
            switch c {
            case .number: items = [["limit": c]]
            case .object: items = [c]
            case .array(let a): items = a
            default: throw fail("'concurrency' must be a number, an object or an array")
            }
            guard items.count <= 2 else { throw fail("at most 2 concurrency limits are allowed") }
            for item in items {
                guard let limit = item["limit"]?.intValue, limit >= 0 else { throw fail("concurrency 'limit' must be a non-negative integer") }
                if limit == 0 { continue } // 0 means "no limit" on the Inngest server
                let key = try Self.expression(item["key"], "concurrency key", fail)
                let scopeText = item["scope"]?.stringValue ?? "fn"
                guard let scope = ConcurrencyScope(rawValue: scopeText) else { throw fail("unknown concurrency scope '\(scopeText)'") }
                if scope != .function && key == nil { throw fail("concurrency scope '\(scopeText)' needs a 'key'") }
                limits.append(ConcurrencyLimit(limit: limit, key: key, scope: scope))
            }
        }

        // Cancellation.
        var cancels: [CancelRule] = []
        if let list = object["cancel"], !list.isNull {
            guard let items = list.arrayValue else { throw fail("'cancel' must be an array") }
            guard items.count <= 5 else { throw fail("at most 5 cancellation rules are allowed") }
            for item in items {
                guard let event = item["event"]?.stringValue, !event.isEmpty else { throw fail("cancel rule needs an 'event'") }
                let condition = try Self.expression(item["if"], "cancel 'if'", fail)
                cancels.append(CancelRule(event: event, condition: condition,
                                          timeoutMilliseconds: try Self.duration(item["timeout"], "cancel timeout", fail)))
            }
        }

        var debounce: Debounce?
        if let d = object["debounce"], !d.isNull {
            guard let period = try Self.duration(d["period"], "debounce period", fail) else { throw fail("debounce needs a 'period'") }
            guard period >= 1000, period <= 7 * 86_400_000 else { throw fail("debounce period must be between 1s and 7d") }
            debounce = Debounce(periodMilliseconds: period, key: try Self.expression(d["key"], "debounce key", fail),
                                timeoutMilliseconds: try Self.duration(d["timeout"], "debounce timeout", fail))
        }

        self.id = id
        self.name = name
        self.appID = appID
        self.url = url
        self.triggers = triggers
        self.retries = retries
        self.concurrency = limits
        self.cancel = cancels
        self.debounce = debounce
        self.throttle = try Self.rateControl(object["throttle"], "throttle", fail)
        self.rateLimit = try Self.rateControl(object["rateLimit"], "rateLimit", fail)
        self.idempotency = try Self.expression(object["idempotency"], "idempotency", fail)
        self.batch = try Self.batch(object["batchEvents"], fail)
        self.singleton = try Self.singleton(object["singleton"], fail)
        self.timeouts = try Self.timeouts(object["timeouts"], fail)
        self.priority = try Self.priority(object["priority"], fail)
        self.cronJitter = cronJitter
        try Self.checkCombinations(batch: batch, cancel: cancels, debounce: debounce, singleton: singleton,
                                   priority: priority, fail)
        self.config = config
    }

    /// Event names this function is triggered by.
    public var eventTriggers: [(name: String, expression: Expression?)] {
        triggers.compactMap { if case .event(let n, let e) = $0 { return (n, e) } else { return nil } }
    }

    public var cronTriggers: [CronSchedule] {
        triggers.compactMap { if case .cron(let c) = $0 { return c } else { return nil } }
    }

    static func expression(_ value: JSON?, _ what: String, _ fail: (String) -> EngineRegistrationError) throws -> Expression? {
        guard let value, !value.isNull else { return nil }
        guard let text = value.stringValue else { throw fail("\(what) must be a string expression") }
        if text.isEmpty { return nil }
        do { return try Expression(text) } catch { throw fail("\(what): \(error)") }
    }

    static func duration(_ value: JSON?, _ what: String, _ fail: (String) -> EngineRegistrationError) throws -> Int64? {
        guard let value, !value.isNull else { return nil }
        guard let text = value.stringValue, let ms = InngestDuration(text).milliseconds else {
            throw fail("\(what) must be a duration such as '30s', '5m' or '2h'")
        }
        return ms
    }

    private static func rateControl(_ value: JSON?, _ what: String, _ fail: (String) -> EngineRegistrationError) throws -> RateControl? {
        guard let value, !value.isNull else { return nil }
        guard let limit = value["limit"]?.intValue, limit >= 1 else { throw fail("\(what) 'limit' must be a positive integer") }
        guard let period = try duration(value["period"], "\(what) period", fail), period >= 1000 else {
            throw fail("\(what) needs a 'period' of at least 1s")
        }
        let burst = value["burst"]?.intValue ?? 0
        guard burst >= 0 else { throw fail("\(what) 'burst' must not be negative") }
        return RateControl(limit: limit, periodMilliseconds: period, burst: burst,
                           key: try expression(value["key"], "\(what) key", fail))
    }
}

/// A registration (or function config) the engine refuses, with the reason.
public struct EngineRegistrationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
