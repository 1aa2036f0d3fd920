import Foundation
import HTTP

/// Reads a fuzz input as a sequence of decisions and byte strings.
struct FuzzInput {
    private var bytes: ArraySlice<UInt8>
    init(_ bytes: [UInt8]) { self.bytes = bytes[...] }

    var isEmpty: Bool { bytes.isEmpty }

    mutating func byte() -> UInt8 { bytes.popFirst() ?? 0 }

    /// Bytes up to (not including) the next `separator`, or the rest.
    mutating func field(separator: UInt8 = 0) -> [UInt8] {
        if let end = bytes.firstIndex(of: separator) {
            let out = Array(bytes[..<end])
            bytes = bytes[(end + 1)...]
            return out
        }
        defer { bytes = [] }
        return Array(bytes)
    }

    mutating func rest() -> [UInt8] { defer { bytes = [] }; return Array(bytes) }
}

/// Runs an async handler to completion from libFuzzer's synchronous callback.
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        box.value = await body()
        done.signal()
    }
    done.wait()
    return box.value!
}

final class ResultBox<T>: @unchecked Sendable { var value: T? }

/// Answers every outgoing request with a refusal, without touching the network.
struct RefusingHTTPClient: HTTPClient {
    func send(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        throw HTTPClientError.transport("fuzzing: no network")
    }
}

/// `a=1&b=2` as name/value pairs, as the server's parser hands them to handlers.
func queryPairs(_ query: String) -> [(name: String, value: String)] {
    query.split(separator: "&").map { pair in
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
        let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
        return (name, value)
    }
}
