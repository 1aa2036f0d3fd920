import Foundation
import TestSupport
import HTTP
import JSON
@testable import InngestProtocol

/// Plays the Inngest server's side of the protocol over real HTTP: sends
/// signed call requests to a worker's serve URL, stores what the SDK reports
/// (`StepRun` data, errors, sleeps, waits, invokes), follows planned steps
/// with targeted calls (in parallel, as the executor does), retries failed
/// attempts, and repeats until the function returns or fails for good.
///
/// It is a test double, not an executor: sleeps end at once, waits are
/// answered by `eventForWait`, invokes run the child through the same loop.
/// The engine's end-to-end suites (Tests/EngineTests) run the same kinds of
/// functions for real; this one stays because its `trace` shows what the
/// SDK reported in each call (which steps one discovery call planned
/// together, which error was marked retriable), a wire-level view the
/// engine's run records do not keep.
final class InngestServerSimulator: @unchecked Sendable {
    let serveURL: String
    let appId: String
    let key: SigningKey?
    let client: any HTTPClient
    /// Answers a `WaitForEvent`: the event to resume with, or nil to time out.
    let eventForWait: @Sendable (JSON) -> JSON?
    private let lock = NSLock()
    private var log: [String] = []

    var trace: [String] { lock.withLock { log } }

    init(serveURL: String, appId: String, key: SigningKey?, client: any HTTPClient = SocketHTTPClient(),
         eventForWait: @escaping @Sendable (JSON) -> JSON? = { _ in nil }) {
        self.serveURL = serveURL
        self.appId = appId
        self.key = key
        self.client = client
        self.eventForWait = eventForWait
    }

    enum Outcome: Equatable {
        case completed(JSON)
        case failed(JSON)
    }

    private struct Run {
        var event: JSON
        var steps = JSONObject()
        var stack: [String] = []
        var attempt = 0
        var version = -1
    }

    private func note(_ s: String) { lock.withLock { log.append(s) } }

    func run(function: String, event: JSON, maxAttempts: Int = 4) async throws -> Outcome {
        var run = Run(event: event)
        var forcePlan = false
        for _ in 0..<200 {
            let (status, headers, body) = try await call(function, stepId: "step", run: run, maxAttempts: maxAttempts, forcePlan: forcePlan)
            forcePlan = false
            switch status {
            case 200:
                note("\(function): completed")
                return .completed(body)
            case 206:
                guard case .array(let ops) = body, !ops.isEmpty else { throw TestFailure("empty or non-array 206") }
                let planned = ops.filter { $0["op"] == "StepPlanned" }
                try await apply(ops.filter { $0["op"] != "StepPlanned" }, headers: headers, run: &run, function: function,
                                maxAttempts: maxAttempts)
                if !planned.isEmpty {
                    note("\(function): planned \(planned.compactMap { $0["name"]?.stringValue }.joined(separator: ","))")
                    try await runPlanned(planned, run: &run, function: function, maxAttempts: maxAttempts)
                }
            case 400, 500:
                let retriable = headers["X-Inngest-No-Retry"] != "true"
                note("\(function): error \(status) retriable=\(retriable)")
                if retriable && run.attempt + 1 < maxAttempts {
                    run.attempt += 1
                    continue
                }
                return .failed(body)
            default:
                throw TestFailure("unexpected status \(status): \(body.serialized())")
            }
        }
        throw TestFailure("function did not finish in 200 calls")
    }

    /// Targeted calls for planned steps, all at once; each must answer with exactly its own step.
    private func runPlanned(_ planned: [JSON], run: inout Run, function: String, maxAttempts: Int) async throws {
        let snapshot = run
        let results = try await withThrowingTaskGroup(of: (String, Int, HTTPHeaders, JSON).self) { group in
            for op in planned {
                let id = op["id"]!.stringValue!
                group.addTask {
                    var attemptRun = snapshot
                    while true {
                        let (status, headers, body) = try await self.call(function, stepId: id, run: attemptRun,
                                                                           maxAttempts: maxAttempts, forcePlan: true)
                        if status == 206, body[0]?["op"] == "StepError", headers["X-Inngest-No-Retry"] != "true",
                           attemptRun.attempt + 1 < maxAttempts {
                            attemptRun.attempt += 1
                            continue
                        }
                        return (id, status, headers, body)
                    }
                }
            }
            var all: [(String, Int, HTTPHeaders, JSON)] = []
            for try await r in group { all.append(r) }
            return all
        }
        for (id, status, headers, body) in results.sorted(by: { $0.0 < $1.0 }) {
            guard status == 206, case .array(let ops) = body, ops.count == 1, ops[0]["id"] == .string(id) else {
                throw TestFailure("targeted call for \(id) answered \(status) \(body.serialized())")
            }
            try await apply(ops, headers: headers, run: &run, function: function, maxAttempts: maxAttempts)
        }
    }

    private func apply(_ ops: [JSON], headers: HTTPHeaders, run: inout Run, function: String, maxAttempts: Int) async throws {
        for op in ops {
            guard let id = op["id"]?.stringValue, let kind = op["op"]?.stringValue else { throw TestFailure("op without id") }
            let name = op["name"]?.stringValue ?? id
            switch kind {
            case "StepRun":
                run.steps[id] = ["data": op["data"] ?? .null]
                run.attempt = 0
                note("\(function): ran \(name)")
            case "StepError" where headers["X-Inngest-No-Retry"] != "true" && run.attempt + 1 < maxAttempts:
                run.attempt += 1
                note("\(function): step \(name) failed, retrying")
                continue
            case "StepError", "StepFailed":
                run.steps[id] = ["error": op["error"] ?? .null]
                run.attempt = 0
                note("\(function): step \(name) failed for good")
            case "Sleep":
                run.steps[id] = .null
                note("\(function): slept \(op["opts"]?["duration"]?.stringValue ?? "?")")
            case "WaitForEvent":
                let event = eventForWait(op["opts"] ?? .null)
                run.steps[id] = event ?? .null
                note("\(function): waited for \(op["opts"]?["event"]?.stringValue ?? "?") -> \(event == nil ? "timeout" : "event")")
            case "InvokeFunction":
                let target = op["opts"]?["function_id"]?.stringValue ?? ""
                let payload = op["opts"]?["payload"]?["data"] ?? [:]
                note("\(function): invoking \(target)")
                let child = try await self.run(function: target, event: ["name": "inngest/function.invoked", "data": payload,
                                                                        "id": "inv1", "ts": 1, "user": [:]])
                switch child {
                case .completed(let value): run.steps[id] = ["data": value]
                case .failed(let error): run.steps[id] = ["error": error]
                }
            default:
                throw TestFailure("unexpected op \(kind)")
            }
            run.stack.append(id)
        }
        run.version = 2
    }

    private func call(_ function: String, stepId: String, run: Run, maxAttempts: Int, forcePlan: Bool) async throws -> (Int, HTTPHeaders, JSON) {
        let body = CallBody.make(event: run.event, steps: run.steps, attempt: run.attempt, maxAttempts: maxAttempts,
                                 disableImmediateExecution: forcePlan, stack: run.stack)
        var headers = HTTPHeaders()
        headers.set("Content-Type", "application/json")
        let now = Int64(Date().timeIntervalSince1970)
        if let key { headers.set("X-Inngest-Signature", RequestSignature.sign(body: body, key: key, timestamp: now)) }
        let url = "\(serveURL)?fnId=\(function)&stepId=\(stepId)"
        let response = try await client.send(HTTPClientRequest(method: "POST", url: url, headers: headers, body: body, timeout: 10))
        guard response.headers["X-Inngest-SDK"] == SDKIdentity.header else { throw TestFailure("response without X-Inngest-SDK") }
        if let key {
            guard let signature = response.headers["X-Inngest-Signature"],
                  case .success = RequestSignature.verify(header: signature, body: response.body, keys: [key], now: now) else {
                throw TestFailure("response signature missing or invalid")
            }
        }
        return (response.status, response.headers, (try? JSON(parsing: response.body)) ?? .null)
    }

}
