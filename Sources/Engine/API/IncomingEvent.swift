import JSON

/// An event accepted for ingestion: validated, with defaults not yet applied.
public struct IncomingEvent: Sendable {
    public let name: String
    public let data: JSONObject
    public let user: JSONObject
    public let ts: Int64?
    /// 9999-12-31T23:59:59.999Z, the largest `ts` accepted.
    static let latestTimestamp: Double = 253_402_300_799_999
    /// The sender's own `id`, kept for de-duplication; functions see the engine's id.
    public let clientID: String?
    public let version: String?

    public init(name: String, data: JSONObject = JSONObject(), user: JSONObject = JSONObject(),
                ts: Int64? = nil, clientID: String? = nil, version: String? = nil) {
        self.name = name
        self.data = data
        self.user = user
        self.ts = ts
        self.clientID = clientID
        self.version = version
    }

    /// Validates one event object as sent to `POST /e/{key}`.
    public init(validating json: JSON, index: Int) throws {
        func fail(_ message: String) -> EventValidationError { EventValidationError(index: index, message: message) }
        guard case .object(let object) = json else { throw fail("an event must be a JSON object") }
        guard let nameValue = object["name"], !nameValue.isNull else { throw fail("event is missing 'name'") }
        guard let name = nameValue.stringValue, !name.allSatisfy(" \t\n".contains) else {
            throw fail("'name' must be a non-empty string")
        }
        var data = JSONObject()
        if let d = object["data"], !d.isNull {
            guard case .object(let o) = d else { throw fail("'data' must be an object") }
            data = o
        }
        var user = JSONObject()
        if let u = object["user"], !u.isNull {
            guard case .object(let o) = u else { throw fail("'user' must be an object") }
            user = o
        }
        var ts: Int64?
        if let t = object["ts"], !t.isNull, !(t.intValue == 0) {
            // Bounded by the last millisecond of year 9999: a larger value would not
            // fit in Int64 (converting it traps) or overflow the engine's date arithmetic.
            guard let n = t.numberValue?.doubleValue, n.isFinite, n >= 0, n <= Self.latestTimestamp else {
                throw fail("'ts' must be Unix milliseconds")
            }
            ts = Int64(n)
        }
        var clientID: String?
        if let i = object["id"], !i.isNull {
            guard let s = i.stringValue else { throw fail("'id' must be a string") }
            clientID = s.isEmpty ? nil : s
        }
        var version: String?
        if let v = object["v"], !v.isNull {
            guard let s = v.stringValue else { throw fail("'v' must be a string") }
            version = s
        }
        self.init(name: name, data: data, user: user, ts: ts, clientID: clientID, version: version)
    }

    /// The event as functions receive it, keys in canonical (sorted) order.
    func body(id: String, now: Int64) -> JSON {
        var entries: [(key: String, value: JSON)] = [
            ("data", .object(data)), ("id", .string(id)), ("name", .string(name)),
            ("ts", .number(JSONNumber(ts ?? now))), ("user", .object(user)),
        ]
        if let version { entries.append(("v", .string(version))) }
        return .object(JSONObject(entries))
    }
}

/// Why an event in a batch was refused (`index` is its position in the batch).
public struct EventValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let message: String
    public var description: String { "event \(index): \(message)" }
}
