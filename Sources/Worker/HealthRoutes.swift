import HTTP
import JSON
import Ops

extension WorkerServices {
    /// `GET /health`: liveness for launchd checks and the ops CLI. POST is
    /// answered the same way (the body is read and ignored) so load tests can
    /// push request bodies through the whole server path.
    func addHealthRoutes(to router: inout HTTPRouter) {
        let startedAt = self.startedAt
        // `{"status":"ok","version":"…","uptime":` is the same on every call:
        // serialise it once, append the uptime (seconds, 3 decimals) per call.
        let head = Self.healthPrefix()
        let details = self.health
        let health: HTTPRouter.Route = { _ in
            let uptime = ContinuousClock.now - startedAt
            let millis = uptime.components.seconds * 1000 + uptime.components.attoseconds / 1_000_000_000_000_000
            var body = head
            body.append(contentsOf: "\(millis / 1000).".utf8)
            let fraction = millis % 1000
            if fraction < 100 { body.append(UInt8(ascii: "0")) }
            if fraction < 10 { body.append(UInt8(ascii: "0")) }
            body.append(contentsOf: "\(fraction)".utf8)
            for field in await details.fields() {
                body.append(UInt8(ascii: ","))
                body += JSON.string(field.key).serializedBytes() + [UInt8(ascii: ":")] + field.value.serializedBytes()
            }
            body.append(UInt8(ascii: "}"))
            return HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: body)
        }
        router.add("GET", "/health", health)
        router.add("POST", "/health", health)
    }

    static func healthPrefix() -> [UInt8] {
        let object: JSON = ["status": "ok", "version": .string(version), "uptime": 0]
        var bytes = object.serializedBytes()
        // Drop the placeholder `0}` so the uptime can be appended.
        bytes.removeLast(2)
        return bytes
    }
}
