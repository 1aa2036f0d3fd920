/// The parsed request line and header fields, with the framing decisions
/// taken from them. Produced by `HTTPHeadParser`, consumed by `HTTPRequestParser`.
struct HTTPRequestHead: Sendable {
    enum BodyFraming: Equatable, Sendable {
        case none
        case length(Int)
        case chunked
    }

    var method: String
    var target: String
    var path: String
    var query: [(name: String, value: String)]
    var version: String
    var headers: HTTPHeaders
    var keepAlive: Bool
    var framing: BodyFraming
    var expectsContinue: Bool

    func request(body: [UInt8]) -> HTTPRequest {
        HTTPRequest(method: method, target: target, path: path, query: query, version: version, headers: headers, body: body)
    }
}
