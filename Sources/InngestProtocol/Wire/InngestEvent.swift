import JSON

/// An Inngest event, as received by a function or sent to the event API.
///
/// `data` stays raw `JSON` so nothing is lost; decode it into your own
/// `Decodable` type with `decodeData(as:)`, or build an event from an
/// `Encodable` payload with `init(name:payload:)`.
///
/// ```swift
/// struct VideoRequested: Codable { let url: String }
/// let request = try ctx.event.decodeData(as: VideoRequested.self)
/// try await ctx.step.sendEvent("emit", InngestEvent(name: "pipeline/video.downloaded", payload: request))
/// ```
public struct InngestEvent: Sendable, Hashable, Codable {
    public var name: String
    public var data: JSON
    /// Set by the server on received events; optional when sending (the server assigns one).
    public var id: String?
    /// Milliseconds since the Unix epoch.
    public var ts: Int64?
    public var user: JSON?
    /// Optional payload schema version.
    public var v: String?

    public init(name: String, data: JSON = [:], id: String? = nil, ts: Int64? = nil, user: JSON? = nil, v: String? = nil) {
        self.name = name
        self.data = data
        self.id = id
        self.ts = ts
        self.user = user
        self.v = v
    }

    /// An event whose `data` is the JSON form of `payload`.
    public init<Payload: Encodable>(name: String, payload: Payload, id: String? = nil, ts: Int64? = nil) throws {
        self.init(name: name, data: try JSON(encoding: payload), id: id, ts: ts)
    }

    /// Decodes `data` as `T`.
    public func decodeData<T: Decodable>(as type: T.Type = T.self) throws -> T {
        try data.decode(type)
    }

    /// Reads an event from its wire form. Lenient: only `name` is required, and
    /// unknown fields are ignored (the server adds more over time).
    public init(json: JSON) throws {
        guard case .object(let o) = json else { throw InngestWireError("an event must be a JSON object, found \(json.kindName)") }
        guard let name = o["name"]?.stringValue else { throw InngestWireError("an event needs a string \"name\"") }
        self.name = name
        // A missing or null `data` reads as an empty object, as the other SDKs treat it.
        if let data = o["data"], !data.isNull { self.data = data } else { self.data = [:] }
        self.id = o["id"]?.stringValue
        if let ts = o["ts"]?.numberValue { self.ts = Int64(ts.text) ?? Int64(exactly: ts.doubleValue.rounded()) }
        self.user = o["user"]
        self.v = o["v"]?.stringValue
    }

    /// The wire form, with absent optional fields left out.
    public var json: JSON {
        var o = JSONObject()
        o["name"] = .string(name)
        o["data"] = data
        if let id { o["id"] = .string(id) }
        if let ts { o["ts"] = .number(JSONNumber(ts)) }
        if let user { o["user"] = user }
        if let v { o["v"] = .string(v) }
        return .object(o)
    }
}
