import HTTP

// `http-parser`: the HTTP/1.1 request parser (and the response parser the
// socket client uses).
//
// Beyond "never crash, never hang", each input checks one invariant: the
// outcome may not depend on how the bytes were split across reads. The
// first input byte picks a split point; the rest is parsed whole and in two
// pieces, and both runs must produce the same requests and the same refusal.

private func run(_ bytes: ArraySlice<UInt8>, split: Int) -> [String] {
    var parser = HTTPRequestParser(limits: HTTPParserLimits(maxHeaderBytes: 2048, maxHeaderCount: 32, maxBodyBytes: 8192))
    var log: [String] = []
    let cut = bytes.startIndex + min(split, bytes.count)
    for piece in [bytes[bytes.startIndex..<cut], bytes[cut...]] where !piece.isEmpty || split == 0 {
        parser.append(contentsOf: piece)
        drain: while true {
            switch parser.next() {
            case .needMore: break drain
            case .sendContinue: log.append("continue")
            case .request(let r, let keepAlive):
                log.append("\(r.method) \(r.target) \(r.path) \(r.query.count) \(r.headers.count) \(r.body.count) \(keepAlive)")
            case .failure(let e):
                log.append("refused \(e.status)")
                return log
            }
        }
    }
    return log
}

func fuzzHTTPParser(_ all: [UInt8]) {
    guard !all.isEmpty else { return }
    let split = Int(all[0])
    let input = all[1...]
    let whole = run(input, split: input.count)
    let pieces = run(input, split: split)
    // A split can only reveal a continue earlier (the body was not there yet); ignore those.
    if whole.filter({ $0 != "continue" }) != pieces.filter({ $0 != "continue" }) {
        fatalError("split-dependent outcome at \(split): \(whole) vs \(pieces)")
    }
    var response = HTTPResponseParser()
    response.append(contentsOf: input)
    response.finish()
    for _ in 0..<4 {
        guard case .response = response.next(forMethod: "GET") else { break }
    }
}
