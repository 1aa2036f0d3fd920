import JSON

/// The body of a call request (`POST ?fnId=…&stepId=…`), read leniently:
/// unknown fields are ignored (the server adds `defers`, `ctx.env`, `qi_id`…),
/// and only what the runtime needs is required.
public struct CallRequest: Sendable {
    public var event: InngestEvent
    public var events: [InngestEvent]
    var steps: StepMemos
    public var runId: String
    public var attempt: Int
    public var maxAttempts: Int?
    public var disableImmediateExecution: Bool
    /// The payload was too large to send: fetch events and steps from the API.
    public var useAPI: Bool
    /// Hashed ids of completed steps in completion order (`ctx.stack.stack`).
    public var stack: [String]
    /// What an async checkpoint names the call by (`ctx.fn_id`, `ctx.qi_id`,
    /// `ctx.request_id`, `ctx.generation_id`); a server that sends no `qi_id`
    /// has nothing to checkpoint against.
    public var functionUUID: String?
    public var queueItemRef: String?
    public var requestID: String?
    public var generationID: Int?

    public init(json: JSON) throws {
        guard case .object(let body) = json else {
            throw InngestWireError("call request body must be a JSON object, found \(json.kindName)")
        }
        let ctx = body["ctx"]?.objectValue ?? JSONObject()
        guard let runId = ctx["run_id"]?.stringValue else {
            throw InngestWireError("call request has no ctx.run_id")
        }
        self.runId = runId
        self.attempt = ctx["attempt"]?.intValue ?? 0
        self.maxAttempts = ctx["max_attempts"]?.intValue
        self.disableImmediateExecution = ctx["disable_immediate_execution"]?.boolValue ?? false
        self.useAPI = ctx["use_api"]?.boolValue ?? body["use_api"]?.boolValue ?? false
        self.stack = ctx["stack"]?["stack"]?.arrayValue?.compactMap(\.stringValue) ?? []
        self.functionUUID = ctx["fn_id"]?.stringValue
        self.queueItemRef = ctx["qi_id"]?.stringValue
        self.requestID = ctx["request_id"]?.stringValue
        self.generationID = ctx["generation_id"]?.intValue

        switch body["steps"] {
        case .object(let steps)?: self.steps = StepMemos(steps)
        case nil, .null?: self.steps = StepMemos()
        case let other?: throw InngestWireError("call request \"steps\" must be an object, found \(other.kindName)")
        }
        var events: [InngestEvent] = []
        if case .array(let list)? = body["events"] {
            events = try list.map { try InngestEvent(json: $0) }
        }
        if let raw = body["event"], case .object = raw {
            self.event = try InngestEvent(json: raw)
        } else if let first = events.first {
            self.event = first
        } else if useAPI {
            self.event = InngestEvent(name: "")
        } else {
            throw InngestWireError("call request has no event")
        }
        self.events = events.isEmpty ? [event] : events
    }

    /// Adds a step the server has stored meanwhile (a checkpoint), as the next call's body would carry it.
    mutating func memoise(hashedId: String, memo: JSON) {
        steps = steps.adding(hashedId, memo)
        stack.append(hashedId)
    }

    /// Replaces events and steps with those fetched from the API (`use_api`).
    mutating func applyFetched(events: [InngestEvent], steps: JSONObject) {
        if !events.isEmpty {
            self.events = events
            if event.name.isEmpty, let first = events.first { event = first }
        }
        self.steps = StepMemos(steps)
    }
}
