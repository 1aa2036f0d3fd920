import Foundation
import HTTP
import Subprocess
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How late each timeout of the worker fires, against the floor any timer in
/// this process can reach: `Task.sleep` for the same time, measured in the
/// same run (the baseline; ratio = observed / baseline).
///
/// The tests check that each timeout fires and what it ends (a killed
/// process group, a 408, a cut connection); they no longer assert how soon,
/// because a wall-clock bound is either loose enough to prove little or
/// tight enough to fail on a loaded machine. This is where "how soon" lives.
@main
struct TimeoutBench {
    struct Case {
        var name: String
        /// What the case should take at best, in seconds.
        var floor: Double
        var measure: @Sendable () async throws -> Void
    }

    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst()
        let rounds = Int(arguments.first ?? "") ?? 10
        let timeout = Double(arguments.dropFirst().first ?? "") ?? 0.5
        print("timeouts of \(timeout) s, median and worst of \(rounds) rounds (seconds); baseline: Task.sleep(\(timeout) s) in the same rounds")
        let cases = try await makeCases(timeout: timeout)
        var baseline: [Double] = []
        var observed: [[Double]] = Array(repeating: [], count: cases.count)
        for _ in 0..<rounds {
            baseline.append(try await seconds { try await Task.sleep(for: .seconds(timeout)) })
            for (i, c) in cases.enumerated() { observed[i].append(try await seconds(c.measure)) }
        }
        let base = median(baseline)
        print(row("baseline Task.sleep", floor: timeout, baseline, base: base))
        // A case whose floor is longer than the timeout (the drain's grace second) compares with the baseline plus that extra.
        for (i, c) in cases.enumerated() { print(row(c.name, floor: c.floor, observed[i], base: base + c.floor - timeout)) }
    }

    static func makeCases(timeout: Double) async throws -> [Case] {
        let runner = ProcessCommandRunner()
        let held = ClosureHTTPHandler { _ in
            try? await Task.sleep(for: .seconds(600))
            return HTTPResponse(status: 200)
        }
        let slow = HTTPServer(configuration: HTTPServerConfiguration(eventLoops: 1), handler: held)
        try slow.start()
        let strict = HTTPServer(configuration: HTTPServerConfiguration(headerReadTimeout: timeout, eventLoops: 1),
                                handler: ClosureHTTPHandler { _ in HTTPResponse(status: 200) })
        try strict.start()
        return [
            Case(name: "command timeout (group holds the pipe)", floor: timeout) {
                do {
                    _ = try await runner.run(Command(["sh", "-c", "sleep 600 & wait"], timeout: timeout))
                    fatalError("the command was not cut")
                } catch CommandError.timedOut {}
            },
            Case(name: "command cancelled after the timeout", floor: timeout) {
                let run = Task { try await runner.run(Command(["sleep", "600"], timeout: 1200)) }
                try await Task.sleep(for: .seconds(timeout))
                run.cancel()
                guard case .failure(CommandError.cancelled) = await run.result else { fatalError("the command was not cancelled") }
            },
            Case(name: "HTTP client timeout", floor: timeout) {
                do {
                    _ = try await SocketHTTPClient().send(HTTPClientRequest(method: "GET", url: "http://127.0.0.1:\(slow.port)/", timeout: timeout))
                    fatalError("the request was not cut")
                } catch HTTPClientError.timedOut {}
            },
            Case(name: "server header timeout (408)", floor: timeout) {
                let answer = await Thread.blocking { trickle("GET / HTTP/1.1\r\nHo", to: strict.port) }
                guard answer.hasPrefix("HTTP/1.1 408") else { fatalError("no 408: \(answer)") }
            },
            Case(name: "server drain cut (+1 s grace for a held handler)", floor: timeout + 1) {
                let server = HTTPServer(configuration: HTTPServerConfiguration(eventLoops: 1), handler: held)
                try server.start()
                let request = Task.detached { trickle("GET / HTTP/1.1\r\nHost: t\r\n\r\n", to: server.port) }
                defer { request.cancel() }
                while server.openConnections == 0 { try await Task.sleep(for: .milliseconds(1)) }
                let begun = ContinuousClock.now
                await server.shutdown(drain: timeout)
                // Only the shutdown is the case's time; the set-up above is not.
                throw Elapsed(seconds: Double((ContinuousClock.now - begun) / .milliseconds(1)) / 1000)
            },
        ]
    }

    /// Connects to the loopback port, writes `text`, and reads until the
    /// server closes (blocking: run it off the concurrency pool).
    static func trickle(_ text: String, to port: Int) -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return "connect failed" }
        _ = Array(text.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { break }
            answer += buffer[..<n]
        }
        return String(decoding: answer, as: UTF8.self)
    }

    /// A case that times only part of its work throws its own time.
    struct Elapsed: Error { var seconds: Double }

    static func seconds(_ body: @Sendable () async throws -> Void) async throws -> Double {
        let begun = ContinuousClock.now
        do { try await body() } catch let own as Elapsed { return own.seconds }
        return Double((ContinuousClock.now - begun) / .microseconds(1)) / 1_000_000
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    static func row(_ name: String, floor: Double, _ values: [Double], base: Double) -> String {
        let m = median(values)
        return name.padding(toLength: 50, withPad: " ", startingAt: 0)
            + String(format: " floor %5.2f  median %6.3f  worst %6.3f  ratio to baseline %5.2f", floor, m, values.max() ?? 0, m / base)
    }
}

extension Thread {
    /// Runs blocking work on a thread of its own and awaits its answer.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: body()) }
        }
    }
}
