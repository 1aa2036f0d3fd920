import HTTP
import Support

/// Logs one line per request at debug level: method, path, status, and
/// milliseconds spent in the handler. Installed only when the log level is
/// debug, so a normal run pays nothing for it.
struct AccessLog: HTTPHandler {
    let next: any HTTPHandler
    let logger: Logger

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let start = ContinuousClock.now
        let response = await next.handle(request)
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        logger.debug("request", ["method": .string(request.method), "path": .string(request.path),
                                 "status": .int(response.status), "ms": .double((ms * 1000).rounded() / 1000)])
        return response
    }
}
