/// One hostile request in a catalogue, and the answer expected in each mode.
///
/// The runner writes it byte for byte to a real loopback server, so cases can
/// carry what no client library would send: duplicate or conflicting
/// framing headers, bytes that are not UTF-8, bodies cut short.
public struct HostileRequest: Sendable, CustomStringConvertible {
    /// The request's credential: `X-Inngest-Signature` for the serve endpoint,
    /// `Authorization` for the engine's API.
    public enum Signature: Sendable {
        /// In cloud mode, a correct credential (a signature of the body at the server's "now"); in dev mode none.
        case valid
        /// No credential header at all.
        case none
        /// This exact header value (in both modes).
        case header(String)
        /// A correct MAC of the body, but timestamped this many seconds from "now".
        case skewed(Int64)
    }

    /// Status the server must answer with; 0 means it must close the connection without one.
    public struct Expected: Sendable {
        public let dev: Int
        public let cloud: Int
        public init(dev: Int, cloud: Int) {
            self.dev = dev
            self.cloud = cloud
        }
        public static func both(_ status: Int) -> Expected { Expected(dev: status, cloud: status) }
    }

    public let name: String
    public var method = "POST"
    public var target = "/api/inngest?fnId=test-app-echo&stepId=step"
    public var headers: [(String, String)] = []
    public var body: [UInt8] = []
    /// nil: a correct Content-Length is added; otherwise exactly these Content-Length headers are sent.
    public var contentLengths: [String]?
    public var signature = Signature.valid
    /// The body is sent after the head, then the connection is half-closed; with
    /// `cutBody` only this many body bytes are sent.
    public var cutBody: Int?
    public let expected: Expected

    public var description: String { name }

    public init(name: String, method: String = "POST", target: String = "/api/inngest?fnId=test-app-echo&stepId=step",
                headers: [(String, String)] = [], body: [UInt8] = [], contentLengths: [String]? = nil,
                signature: Signature = .valid, cutBody: Int? = nil, expected: Expected) {
        self.name = name
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.contentLengths = contentLengths
        self.signature = signature
        self.cutBody = cutBody
        self.expected = expected
    }
}
