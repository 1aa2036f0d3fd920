/// One hostile request in a catalogue, and the answer expected in each mode.
///
/// The runner writes it byte for byte to a real loopback server, so cases can
/// carry what no client library would send: duplicate or conflicting
/// framing headers, bytes that are not UTF-8, bodies cut short.
struct HostileRequest: Sendable, CustomStringConvertible {
    /// The request's credential: `X-Inngest-Signature` for the serve endpoint,
    /// `Authorization` for the engine's API.
    enum Signature: Sendable {
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
    struct Expected: Sendable {
        let dev: Int
        let cloud: Int
        static func both(_ status: Int) -> Expected { Expected(dev: status, cloud: status) }
    }

    let name: String
    var method = "POST"
    var target = "/api/inngest?fnId=test-app-echo&stepId=step"
    var headers: [(String, String)] = []
    var body: [UInt8] = []
    /// nil: a correct Content-Length is added; otherwise exactly these Content-Length headers are sent.
    var contentLengths: [String]?
    var signature = Signature.valid
    /// The body is sent after the head, then the connection is half-closed; with
    /// `cutBody` only this many body bytes are sent.
    var cutBody: Int?
    let expected: Expected

    var description: String { name }
}
