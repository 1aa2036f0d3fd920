import Foundation
import InngestProtocol
import JSON

/// What every check needs: the app (to send events), the server's API (to read
/// runs) and a per-process key that keeps concurrent checks' events apart.
struct Checks: Sendable {
    let inngest: Inngest
    let api: ServerAPI
    let serveURL: String
    let key: String
    /// The primary signing key is stale and the server checks the bearer key: every
    /// API call must be refused once (401) and then succeed with the fallback key.
    var expectKeyFallback = false

    /// Sends one event and returns its id.
    func send(_ name: String, _ data: JSON = [:]) async throws -> String {
        guard let id = try await inngest.send(InngestEvent(name: name, data: data)).first else {
            throw InteropError(message: "the server returned no id for \(name)")
        }
        return id
    }

    func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        if !condition { throw InteropError(message: message()) }
    }

    /// The output of a run that must have completed.
    func completed(_ run: ServerAPI.Run) throws -> JSON {
        try expect(run.status == "Completed", "run \(run.id) ended \(run.status), output \(run.output?.serialized() ?? "none")")
        return run.output ?? .null
    }

    /// Sends `name` and returns the output of its completed run.
    func output(of name: String, _ data: JSON = [:], deadline: Double = 60) async throws -> JSON {
        try completed(try await api.endedRun(ofEvent: try await send(name, data), deadline: deadline))
    }

    /// Sends `name` and checks that its completed run returned `expected`.
    func expectOutput(of name: String, _ data: JSON = [:], equals expected: JSON, deadline: Double = 60) async throws {
        let out = try await output(of: name, data, deadline: deadline)
        try expect(out == expected, "\(name): output \(out.serialized()), expected \(expected.serialized())")
    }

    /// The last step-failure op the SDK answered for `run` (`WireWatch`), with
    /// ` no-retry` when it carried `X-Inngest-No-Retry: true`; checks that it was final.
    func finalOp(of run: ServerAPI.Run) async throws -> String {
        let ops = await RunTally.shared.logged("wire:ops:\(run.id)")
        let last = ops.last { $0.hasPrefix("StepFailed") || $0.hasPrefix("StepError") } ?? "none"
        try expect(last.hasSuffix(" no-retry"), "the final step failure went out as \(ops)")
        let sent = await RunTally.shared.note("wire:max_attempts:\(run.id)") ?? "absent"
        return "final op \(last), server sent max_attempts \(sent)"
    }

    /// Polls a note the functions leave in `RunTally` (e.g. from a failure handler).
    func note(_ key: String, within seconds: Double) async throws -> String? {
        let end = Date().addingTimeInterval(seconds)
        while await RunTally.shared.note(key) == nil, Date() < end {
            try await Task.sleep(nanoseconds: 300_000_000)
        }
        return await RunTally.shared.note(key)
    }

    /// JSON equality that ignores key order and number spelling (the server re-encodes both).
    static func same(_ a: JSON?, _ b: JSON?) -> Bool {
        switch (a, b) {
        case (.object(let x)?, .object(let y)?):
            return x.count == y.count && x.allSatisfy { same($0.value, y[$0.key]) }
        case (.array(let x)?, .array(let y)?):
            return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (.number(let x)?, .number(let y)?):
            return x.doubleValue == y.doubleValue
        default:
            return a == b
        }
    }
}

/// One named check: drives a function through the server and says what it saw.
struct Scenario: Sendable {
    let name: String
    let run: @Sendable (Checks) async throws -> String

    init(_ name: String, _ run: @escaping @Sendable (Checks) async throws -> String) {
        self.name = name
        self.run = run
    }
}
