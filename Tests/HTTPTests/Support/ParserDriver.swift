import HTTP

/// What a parser made of a byte string: the requests it produced, then how it stopped.
struct ParseRun: Equatable, CustomStringConvertible {
    enum End: Equatable { case needMore, refused(Int) }
    var requests: [String] = []  // "METHOD path body" per request
    var continues = 0
    var end: End = .needMore

    var description: String { "\(requests) continues=\(continues) end=\(end)" }

    /// Feeds `bytes` in pieces of `step` bytes (0: all at once), draining the
    /// parser after each piece.
    static func parse(_ bytes: [UInt8], step: Int = 0, limits: HTTPParserLimits = ParserCatalog.limits) -> ParseRun {
        var parser = HTTPRequestParser(limits: limits)
        var run = ParseRun()
        let pieceSize = step > 0 ? step : max(bytes.count, 1)
        var offset = 0
        repeat {
            let end = min(offset + pieceSize, bytes.count)
            parser.append(contentsOf: bytes[offset..<end])
            offset = end
            drain: while true {
                switch parser.next() {
                case .needMore: break drain
                case .sendContinue: run.continues += 1
                case .request(let r, _): run.requests.append("\(r.method) \(r.path) \(String(decoding: r.body, as: UTF8.self))")
                case .failure(let e): run.end = .refused(e.status); return run
                }
            }
        } while offset < bytes.count
        return run
    }
}
