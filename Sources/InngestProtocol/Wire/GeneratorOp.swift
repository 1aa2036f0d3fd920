import JSON

/// One entry of a `206` response: a step the SDK ran, planned, or asks the
/// server to perform (sleep, wait, invoke). `name` and `displayName` are the
/// user's step id, `opts` carries the op's parameters, and `data` is `null`
/// when there is no data (docs/serve-protocol.md shows each shape).
///
/// The SDK writes ops; the embedded engine reads them back with
/// `init(json:)`, so both sides share this one type.
public struct GeneratorOp: Sendable, Equatable {
    public enum Opcode: String, Sendable {
        case stepRun = "StepRun"
        case stepError = "StepError"
        /// Understood by servers since September 2025 only, so never emitted: a final
        /// step failure is a `StepError` with `X-Inngest-No-Retry: true`.
        case stepFailed = "StepFailed"
        case stepPlanned = "StepPlanned"
        case sleep = "Sleep"
        case waitForEvent = "WaitForEvent"
        /// A pause that a `POST /v1/signals` naming its signal ends (docs/serve-protocol.md, "Signals").
        case waitForSignal = "WaitForSignal"
        case invokeFunction = "InvokeFunction"
        /// Read, never written: an older SDK's step result, stored as sent.
        case step = "Step"
        /// Read, never written: the function's return value as an op.
        case runComplete = "RunComplete"
        /// Read, never written: an entry that asks for nothing.
        case none = "None"

        /// Reads an op code the way the server does, ignoring case; nil for a
        /// code this SDK does not know.
        public init?(wireName: String) {
            let lowered = wireName.lowercased()
            guard let known = Self.byLowercasedName[lowered] else { return nil }
            self = known
        }

        private static let byLowercasedName: [String: Opcode] = {
            let all: [Opcode] = [.stepRun, .stepError, .stepFailed, .stepPlanned, .sleep, .waitForEvent,
                                 .waitForSignal, .invokeFunction, .step, .runComplete, .none]
            return Dictionary(uniqueKeysWithValues: all.map { ($0.rawValue.lowercased(), $0) })
        }()
    }

    public var op: Opcode
    /// Hashed step id.
    public var id: String
    /// The user's step id (without any `:N` suffix).
    public var name: String
    public var displayName: String
    public var opts: JSON?
    /// Raw result for `StepRun`; absent (sent as `null`) otherwise.
    public var data: JSON? { didSet { serializedData = nil } }
    /// `{name, message, stack}` for `StepError`/`StepFailed`.
    public var error: JSON?
    /// `data` already serialized, when whoever built the op had to serialize
    /// it anyway (the executor does, to hold a step's output to the size
    /// limit), so the response reuses these bytes instead of serializing a
    /// possibly 4 MB value a second time. Always exactly `data`'s bytes
    /// (changing `data` drops them), hence left out of equality.
    var serializedData: [UInt8]?

    public init(op: Opcode, id: String, name: String, displayName: String? = nil,
                opts: JSON? = nil, data: JSON? = nil, error: JSON? = nil) {
        self.op = op
        self.id = id
        self.name = name
        self.displayName = displayName ?? name
        self.opts = opts
        self.data = data
        self.error = error
    }

    /// The wire object. Key order is fixed so responses are byte-stable.
    public var json: JSON { .object(fields(withData: true)) }

    /// Appends the serialized wire object to `out`: the same bytes as
    /// `json.serializedBytes()`, with `serializedData` spliced in when present
    /// (`data` is the last key, so it goes right before the closing brace).
    func serialize(into out: inout [UInt8]) {
        guard let serializedData else {
            out.append(contentsOf: json.serializedBytes())
            return
        }
        let head = JSON.object(fields(withData: false)).serializedBytes()
        out.append(contentsOf: head.dropLast())  // the closing brace
        out.append(contentsOf: #","data":"#.utf8)
        out.append(contentsOf: serializedData)
        out.append(UInt8(ascii: "}"))
    }

    private func fields(withData: Bool) -> JSONObject {
        var o = JSONObject()
        o["op"] = .string(op.rawValue)
        o["id"] = .string(id)
        o["name"] = .string(name)
        o["displayName"] = .string(displayName)
        if let opts { o["opts"] = opts }
        if let error { o["error"] = error }
        if withData { o["data"] = data ?? .null }
        return o
    }

    public static func == (a: GeneratorOp, b: GeneratorOp) -> Bool {
        a.op == b.op && a.id == b.id && a.name == b.name && a.displayName == b.displayName
            && a.opts == b.opts && a.data == b.data && a.error == b.error
    }
}

extension GeneratorOp {
    /// Why a `206` entry could not be read as an op.
    public enum DecodingError: Error, Equatable, Sendable {
        /// The entry is not a JSON object.
        case notAnObject
        /// The entry names an op code this SDK does not know (kept as sent, with the step's id).
        case unknownOpcode(String, id: String)
    }

    /// Reads one entry of a `206` body as a server does: the op code ignoring
    /// case (`"None"` when absent), missing strings as empty, `displayName`
    /// defaulting to `name`, and a missing `data` kept apart from `null`.
    public init(json: JSON) throws(DecodingError) {
        guard case .object(let o) = json else { throw .notAnObject }
        let id = o["id"]?.stringValue ?? ""
        let code = o["op"]?.stringValue ?? Opcode.none.rawValue
        guard let op = Opcode(wireName: code) else { throw .unknownOpcode(code, id: id) }
        self.init(op: op, id: id, name: o["name"]?.stringValue ?? "", displayName: o["displayName"]?.stringValue,
                  opts: o["opts"], data: o["data"], error: o["error"])
    }
}
