import JSON

// The option types of `FunctionConfiguration`. Each knows its register-payload
// form (`json`); field names follow the Inngest server's parser (`pkg/inngest/function.go` in inngest/inngest).

extension FunctionConfiguration {
    /// At most `limit` steps of this function run at once, per distinct value of
    /// `key` (a CEL expression over `event`) when given, within `scope`.
    public struct Concurrency: Sendable, Hashable {
        public enum Scope: String, Sendable, Hashable { case function = "fn", environment = "env", account }
        public var limit: Int
        public var key: String?
        public var scope: Scope?
        public init(limit: Int, key: String? = nil, scope: Scope? = nil) {
            self.limit = limit; self.key = key; self.scope = scope
        }
        public var json: JSON {
            var o = JSONObject()
            o["limit"] = .number(JSONNumber(limit))
            if let key { o["key"] = .string(key) }
            if let scope { o["scope"] = .string(scope.rawValue) }
            return .object(o)
        }
    }

    /// Starts at most `limit` runs per `period` (plus `burst`), queueing the rest.
    public struct Throttle: Sendable, Hashable {
        public var limit: Int
        public var period: InngestDuration
        public var burst: Int?
        public var key: String?
        public init(limit: Int, period: InngestDuration, burst: Int? = nil, key: String? = nil) {
            self.limit = limit; self.period = period; self.burst = burst; self.key = key
        }
        public var json: JSON {
            var o = JSONObject()
            o["limit"] = .number(JSONNumber(limit))
            o["period"] = .string(period.text)
            if let burst { o["burst"] = .number(JSONNumber(burst)) }
            if let key { o["key"] = .string(key) }
            return .object(o)
        }
    }

    /// Starts at most `limit` runs per `period`, dropping the rest.
    public struct RateLimit: Sendable, Hashable {
        public var limit: Int
        public var period: InngestDuration
        public var key: String?
        public init(limit: Int, period: InngestDuration, key: String? = nil) {
            self.limit = limit; self.period = period; self.key = key
        }
        public var json: JSON {
            var o = JSONObject()
            o["limit"] = .number(JSONNumber(limit))
            o["period"] = .string(period.text)
            if let key { o["key"] = .string(key) }
            return .object(o)
        }
    }

    /// Waits until no new matching event arrived for `period` (at most `timeout`), then runs once with the last.
    public struct Debounce: Sendable, Hashable {
        public var period: InngestDuration
        public var key: String?
        public var timeout: InngestDuration?
        public init(period: InngestDuration, key: String? = nil, timeout: InngestDuration? = nil) {
            self.period = period; self.key = key; self.timeout = timeout
        }
        public var json: JSON {
            var o = JSONObject()
            o["period"] = .string(period.text)
            if let key { o["key"] = .string(key) }
            if let timeout { o["timeout"] = .string(timeout.text) }
            return .object(o)
        }
    }

    /// Runs once per batch of up to `maxSize` events collected for at most `timeout`.
    /// The server parses `timeout` as a Go duration, so use `s`/`m`/`h`, not `d`.
    public struct BatchEvents: Sendable, Hashable {
        public var maxSize: Int
        public var timeout: InngestDuration
        public var key: String?
        public var condition: String?
        public init(maxSize: Int, timeout: InngestDuration, key: String? = nil, if condition: String? = nil) {
            self.maxSize = maxSize; self.timeout = timeout; self.key = key; self.condition = condition
        }
        public var json: JSON {
            var o = JSONObject()
            o["maxSize"] = .number(JSONNumber(maxSize))
            o["timeout"] = .string(timeout.text)
            if let key { o["key"] = .string(key) }
            if let condition { o["if"] = .string(condition) }
            return .object(o)
        }
    }

    /// `run` is a CEL expression giving seconds (-600…600) to move the run forward or back in the queue.
    public struct Priority: Sendable, Hashable {
        public var run: String
        public init(run: String) { self.run = run }
        public var json: JSON { ["run": .string(run)] }
    }

    /// Cancels a running function when `event` arrives and `condition` holds
    /// (CEL; `event` is the trigger, `async` the cancelling event), within `timeout`.
    public struct CancelOn: Sendable, Hashable {
        public var event: String
        public var condition: String?
        public var timeout: InngestDuration?
        public init(event: String, if condition: String? = nil, timeout: InngestDuration? = nil) {
            self.event = event; self.condition = condition; self.timeout = timeout
        }
        /// Cancels when a field is equal in both events: `match: "data.loopId"`
        /// means `event.data.loopId == async.data.loopId`.
        public init(event: String, match field: String, timeout: InngestDuration? = nil) {
            self.init(event: event, if: "event.\(field) == async.\(field)", timeout: timeout)
        }
        public var json: JSON {
            var o = JSONObject()
            o["event"] = .string(event)
            if let condition { o["if"] = .string(condition) }
            if let timeout { o["timeout"] = .string(timeout.text) }
            return .object(o)
        }
    }

    /// `start`: longest a run may wait in the queue before its first step;
    /// `finish`: longest a run may take once started.
    public struct Timeouts: Sendable, Hashable {
        public var start: InngestDuration?
        public var finish: InngestDuration?
        public init(start: InngestDuration? = nil, finish: InngestDuration? = nil) {
            self.start = start; self.finish = finish
        }
        public var json: JSON {
            var o = JSONObject()
            if let start { o["start"] = .string(start.text) }
            if let finish { o["finish"] = .string(finish.text) }
            return .object(o)
        }
    }

    /// At most one run at a time (per `key`): a new one is skipped, or cancels the running one.
    public struct Singleton: Sendable, Hashable {
        public enum Mode: String, Sendable, Hashable { case skip, cancel }
        public var key: String?
        public var mode: Mode
        public init(key: String? = nil, mode: Mode) { self.key = key; self.mode = mode }
        public var json: JSON {
            var o = JSONObject()
            if let key { o["key"] = .string(key) }
            o["mode"] = .string(mode.rawValue)
            return .object(o)
        }
    }
}
