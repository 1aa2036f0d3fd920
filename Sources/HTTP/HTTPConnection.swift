/// Serves one accepted connection: read, parse, call the handler, write,
/// and again while the connection is kept alive. Requests on one connection
/// are answered strictly in order (pipelining needs nothing more); different
/// connections run in different tasks, so a slow handler only holds its own.
struct HTTPConnection {
    let channel: SocketChannel
    let handler: any HTTPHandler
    let configuration: HTTPServerConfiguration
    let registry: ConnectionRegistry
    private var parser: HTTPRequestParser
    private var dates = HTTPDateCache()
    private var out: [UInt8] = []

    init(channel: SocketChannel, handler: any HTTPHandler, configuration: HTTPServerConfiguration, registry: ConnectionRegistry) {
        self.channel = channel
        self.handler = handler
        self.configuration = configuration
        self.registry = registry
        self.parser = HTTPRequestParser(limits: configuration.limits)
        out.reserveCapacity(1024)
    }

    private enum Phase { case idle, head, body }

    mutating func run() async {
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 16)
        defer { scratch.deallocate() }
        // A fresh connection must send its head within the header timeout.
        var phase = Phase.head
        var deadline = MonotonicClock.deadline(after: configuration.headerReadTimeout)
        // Bytes of the current body taken from the server-wide budget, and received so far.
        var reserved = 0
        var bodyReceived = 0
        defer { registry.bodyBudget.release(reserved) }
        while true {
            switch parser.next() {
            case .needMore:
                if phase == .idle, !parser.isIdle {
                    phase = .head
                    deadline = MonotonicClock.deadline(after: configuration.headerReadTimeout)
                }
                if phase == .head, parser.isReadingBody {
                    phase = .body
                    deadline = MonotonicClock.deadline(after: configuration.bodyReadTimeout)
                    bodyReceived = parser.bufferedByteCount
                }
                if phase == .body {
                    let needed = max(parser.declaredBodyLength ?? 0, bodyReceived)
                    if needed > reserved {
                        guard registry.bodyBudget.reserve(needed - reserved) else {
                            await refuse(HTTPParseError(status: 503, reason: "too many request bodies in progress; retry later"),
                                         scratch: scratch)
                            return
                        }
                        reserved = needed
                    }
                }
                switch await channel.read(into: scratch, deadline: deadline, kind: parser.isIdle ? .idle : .active) {
                case .data(let n):
                    if phase == .body { bodyReceived += n }
                    parser.append(UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
                case .timedOut:
                    if !parser.isIdle {
                        await refuse(HTTPParseError(status: 408, reason: "request not received in time"), scratch: scratch)
                    }
                    return
                case .cancelled:
                    // Shutdown closes idle connections; a request that was
                    // already on its way is still answered (with close).
                    guard parser.isIdle, case .done(let n) = Socket.read(channel.fd, into: scratch) else { return }
                    parser.append(UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
                case .closed:
                    return
                }
            case .sendContinue:
                guard await channel.write(HTTPResponseEncoder.continueResponse, deadline: writeDeadline()) == .written else { return }
            case .failure(let error):
                await refuse(error, scratch: scratch)
                return
            case .request(let request, let keepAlive):
                let response = await handler.handle(request)
                let keep = keepAlive && !registry.isDraining && !Self.asksToClose(response)
                guard await send(response, to: request, keepAlive: keep), keep else { return }
                registry.bodyBudget.release(reserved)
                reserved = 0
                bodyReceived = 0
                phase = .idle
                deadline = MonotonicClock.deadline(after: configuration.idleTimeout)
            }
        }
    }

    private static func asksToClose(_ response: HTTPResponse) -> Bool {
        guard let value = response.headers["Connection"] else { return false }
        return value.split(separator: ",").contains { $0.trimmingWhitespace().equalsIgnoringASCIICase("close") }
    }

    private func writeDeadline() -> UInt64 { MonotonicClock.deadline(after: configuration.writeTimeout) }

    /// Answers a request that could not be parsed, then closes politely.
    private mutating func refuse(_ error: HTTPParseError, scratch: UnsafeMutableRawBufferPointer) async {
        let body = Array("\(error.reason)\n".utf8)
        var headers = HTTPHeaders()
        headers.add("Content-Type", "text/plain; charset=utf-8")
        out.removeAll(keepingCapacity: true)
        HTTPResponseEncoder.head(status: error.status, headers: headers, framing: .length(body.count),
                                 keepAlive: false, date: dates.current(), into: &out)
        out.append(contentsOf: body)
        guard await channel.write(out, deadline: writeDeadline()) == .written else { return }
        await channel.lingeringClose(scratch: scratch)
    }

    /// Writes `response`; false when the connection failed (it is then closed).
    private mutating func send(_ response: HTTPResponse, to request: HTTPRequest, keepAlive: Bool) async -> Bool {
        let omitBody = request.method == "HEAD" || HTTPResponseEncoder.forbidsBody(response.status)
        let noLength = HTTPResponseEncoder.forbidsBody(response.status)
        out.removeAll(keepingCapacity: true)
        switch response.body {
        case .bytes(let body):
            HTTPResponseEncoder.head(status: response.status, headers: response.headers,
                                     framing: noLength ? .noBody : .length(body.count), keepAlive: keepAlive,
                                     version: request.version, date: dates.current(), into: &out)
            if omitBody || body.isEmpty { return await channel.write(out, deadline: writeDeadline()) == .written }
            if body.count <= 64 * 1024 {
                out.append(contentsOf: body)
                return await channel.write(out, deadline: writeDeadline()) == .written
            }
            guard await channel.write(out, deadline: writeDeadline()) == .written else { return false }
            return await channel.write(body, deadline: writeDeadline()) == .written
        case .stream(let stream):
            let chunked = request.version == "HTTP/1.1"
            HTTPResponseEncoder.head(status: response.status, headers: response.headers,
                                     framing: noLength ? .noBody : (chunked ? .chunked : .untilClose),
                                     keepAlive: keepAlive && chunked, version: request.version,
                                     date: dates.current(), into: &out)
            guard await channel.write(out, deadline: writeDeadline()) == .written else { return false }
            if omitBody { return chunked }
            return await writeStream(stream, chunked: chunked)
        }
    }

    /// The streaming writer: one chunk per element, flushed as it comes.
    private mutating func writeStream(_ stream: AsyncStream<[UInt8]>, chunked: Bool) async -> Bool {
        for await piece in stream where !piece.isEmpty {
            out.removeAll(keepingCapacity: true)
            if chunked { HTTPResponseEncoder.chunkHeader(size: piece.count, into: &out) }
            out.append(contentsOf: piece)
            if chunked { out.append(contentsOf: HTTPResponseEncoder.chunkTrailer) }
            guard await channel.write(out, deadline: writeDeadline()) == .written else { return false }
        }
        guard chunked else { return false }  // HTTP/1.0: the close ends the body
        return await channel.write(HTTPResponseEncoder.lastChunk, deadline: writeDeadline()) == .written
    }
}
