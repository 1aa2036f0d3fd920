// Loopback client benchmark: SocketHTTPClient (and URLSessionHTTPClient on
// Apple platforms, the only ones that compile it) calling an in-process
// HTTPServer, sequentially (one request at a time, as the embedded engine
// calls a function) and with 16 in flight.
// Built from the HTTP module's sources by client.sh; prints req/s, p50, p99.
import Foundation

@main
struct ClientBench {
    static func main() async throws {
        let seconds = Double(CommandLine.arguments.dropFirst().first ?? "3") ?? 3
        let body = Array(repeating: UInt8(ascii: "x"), count: 4096)
        let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0),
                                handler: ClosureHTTPHandler { request in HTTPResponse(status: 200, body: Array(request.body.prefix(64))) })
        try server.start()
        let url = "http://127.0.0.1:\(server.port)/api/inngest"
        var clients: [(String, any HTTPClient)] = [("SocketHTTPClient", SocketHTTPClient())]
        #if canImport(Darwin)
        clients.append(("URLSessionHTTPClient", URLSessionHTTPClient()))
        #endif
        print("client                 in-flight      req/s    p50 ms    p99 ms")
        for (name, client) in clients {
            for concurrency in [1, 16] {
                let request = HTTPClientRequest(method: "POST", url: url, headers: ["Content-Type": "application/json"], body: body)
                _ = try await client.send(request)  // warm up: connect, pool
                let end = Date().addingTimeInterval(seconds)
                let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
                    for _ in 0..<concurrency {
                        group.addTask {
                            var mine: [Double] = []
                            while Date() < end {
                                let t = DispatchTime.now().uptimeNanoseconds
                                let r = try await client.send(request)
                                precondition(r.status == 200)
                                mine.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6)
                            }
                            return mine
                        }
                    }
                    var all: [Double] = []
                    for try await part in group { all += part }
                    return all.sorted()
                }
                let p = { (q: Double) in latencies[min(latencies.count - 1, Int(Double(latencies.count) * q))] }
                print(String(format: "%@ %9d %10.0f %9.3f %9.3f", name.padding(toLength: 22, withPad: " ", startingAt: 0) as NSString, concurrency, Double(latencies.count) / seconds, p(0.5), p(0.99)))
            }
        }
        await server.shutdown(drain: 1)
    }
}
