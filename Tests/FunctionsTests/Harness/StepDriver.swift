import Foundation
import TestSupport
import HTTP
import InngestProtocol
import JSON

/// Runs a function through the SDK's serve handler the way the Inngest
/// server does: call, memoize what the SDK reports (`StepRun`, `StepError`,
/// `StepFailed`, `StepPlanned`), retry per the function's `retries`, call
/// again, until the function returns or fails; everything the function does
/// is real. Whole-system runs go through the embedded engine (`EngineChain`);
/// this driver stays for what the engine does not report: how many attempts
/// each step failed before it succeeded (`stepErrors`), the order steps
/// completed in within one run, and the number of calls, which the tests of
/// retries and memoisation assert on.
struct StepDriver {
    enum Outcome: Equatable {
        case completed(JSON)
        case failed(JSON)

        var output: JSON? { if case .completed(let j) = self { return j } else { return nil } }
        var errorMessage: String? {
            if case .failed(let j) = self { return j["message"]?.stringValue ?? j["error"]?["message"]?.stringValue ?? j.serialized() }
            return nil
        }
    }

    struct Report {
        var outcome: Outcome
        /// Step display names in completion order.
        var completedSteps: [String]
        /// Step name → attempts that errored (retriable errors).
        var stepErrors: [String: Int]
        var calls: Int
    }

    let inngest: Inngest

    func run(_ functionId: String, event: InngestEvent, runId: String = "01RUN" + UUID().uuidString.prefix(8).uppercased()) async throws -> Report {
        guard let function = inngest.functions.first(where: { $0.id == functionId }) else {
            throw TestFailure("no function \(functionId)")
        }
        let maxAttempts = (function.config.retries ?? FunctionConfiguration.defaultRetries) + 1
        var event = event
        if event.id == nil { event.id = "01EVT" + UUID().uuidString.prefix(8).uppercased() }
        if event.ts == nil { event.ts = Int64(Date().timeIntervalSince1970 * 1000) }
        var steps = JSONObject()
        var stack: [String] = []
        var attempt = 0
        var target = "step"
        var pendingPlanned: [String] = []
        var report = Report(outcome: .failed(.null), completedSteps: [], stepErrors: [:], calls: 0)

        while report.calls < 500 {
            report.calls += 1
            let body: JSON = [
                "ctx": ["run_id": .string(runId), "attempt": .number(JSONNumber(attempt)), "max_attempts": .number(JSONNumber(maxAttempts)),
                        "disable_immediate_execution": false, "step_id": .string(target), "use_api": false,
                        "stack": ["current": .number(JSONNumber(stack.count)), "stack": .array(stack.map { .string($0) })]],
                "event": event.json, "events": [event.json], "steps": .object(steps), "version": 2, "use_api": false,
            ]
            let compositeId = function.compositeId(appId: inngest.appId)
            let request = HTTPRequest(method: "POST", target: "/api/inngest?fnId=\(compositeId)&stepId=\(target)",
                                      query: [("fnId", compositeId), ("stepId", target)],
                                      headers: ["content-type": "application/json"], body: body.serializedBytes())
            let response = await inngest.handler.handle(request)
            guard case .bytes(let bytes) = response.body else { throw TestFailure("streamed response") }
            let json = (try? JSON(parsing: bytes)) ?? .string(String(decoding: bytes, as: UTF8.self))
            target = "step"
            switch response.status {
            case 200:
                report.outcome = .completed(json)
                return report
            case 206:
                for op in json.arrayValue ?? [] {
                    let id = op["id"]?.stringValue ?? ""
                    let name = op["displayName"]?.stringValue ?? op["name"]?.stringValue ?? id
                    switch op["op"]?.stringValue {
                    case "StepRun":
                        steps[id] = ["data": op["data"] ?? .null]
                        stack.append(id)
                        report.completedSteps.append(name)
                        attempt = 0
                    case "StepError":
                        report.stepErrors[name, default: 0] += 1
                        attempt += 1
                        if attempt >= maxAttempts || response.headers["X-Inngest-No-Retry"] == "true" {
                            steps[id] = ["error": op["error"] ?? .null]
                            stack.append(id)
                            attempt = 0
                        } else {
                            target = id
                        }
                    case "StepFailed":
                        report.stepErrors[name, default: 0] += 1
                        steps[id] = ["error": op["error"] ?? .null]
                        stack.append(id)
                        attempt = 0
                    case "StepPlanned":
                        pendingPlanned.append(id)
                    case "Sleep":
                        steps[id] = .null
                        stack.append(id)
                        report.completedSteps.append(name)
                    default:
                        throw TestFailure("unsupported op \(op.serialized())")
                    }
                }
                if target == "step", !pendingPlanned.isEmpty { target = pendingPlanned.removeFirst() }
            case 500 where response.headers["X-Inngest-No-Retry"] != "true":
                attempt += 1
                if attempt >= maxAttempts {
                    report.outcome = .failed(json)
                    return report
                }
            default:
                report.outcome = .failed(json)
                return report
            }
        }
        throw TestFailure("function \(functionId) did not finish within 500 calls")
    }
}
