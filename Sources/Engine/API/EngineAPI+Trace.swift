import HTTP
import InngestProtocol
import JSON

/// `GET /v1/runs/{id}/trace`: a run as a root span whose children are its
/// steps in the order they started, each with its op, timing, attempts and
/// output or error (inline; the Inngest API points to them by `output_id`).
extension EngineAPI {
    func trace(_ runID: String) throws -> HTTPResponse {
        guard let run = try core.store.run(runID) else { return error(404, "run not found") }
        let steps = try core.store.stepLog(runID).map { stepSpan($0, run: run) }
        var root: [(key: String, value: JSON)] = [
            ("span_id", .string(run.id)), ("name", .string(core.registry.function(run.functionID)?.name ?? run.functionID)),
            ("status", .string(run.status.rawValue)), ("is_root", true),
        ]
        root += Self.timing(queued: run.startedAt, started: run.startedAt, ended: run.endedAt)
        root.append(("output", run.outputText.flatMap { try? JSON(parsing: $0) } ?? .null))
        if let errorText = run.errorText { root.append(("error", (try? JSON(parsing: errorText)) ?? .string(errorText))) }
        root.append(("children", .array(steps)))
        return json(200, ["data": .object(JSONObject(root)), "metadata": metadata])
    }

    private func stepSpan(_ step: EngineStore.StepLogRow, run: RunRecord) -> JSON {
        var fields: [(key: String, value: JSON)] = [
            ("span_id", .string(step.stepID)), ("step_id", .string(step.stepID)), ("name", .string(step.name)),
            ("step_op", .string(step.op)), ("attempts", .number(JSONNumber(max(step.attempts, 1)))),
        ]
        let memo = step.memo.flatMap { try? JSON(parsing: $0) }
        let status: String
        var output: JSON = .null
        var failure: JSON?
        if let memo {
            if let object = memo.objectValue, object.count == 1, let error = object["error"] {
                status = "Failed"
                failure = error
            } else {
                status = "Completed"
                output = memo.objectValue.flatMap { $0.count == 1 ? $0["data"] : nil } ?? memo
            }
        } else if run.status.isTerminal {
            status = "Cancelled"
        } else {
            switch step.op {
            case "Sleep": status = "Sleeping"
            case "WaitForEvent", "WaitForSignal": status = "Waiting"
            case "InvokeFunction": status = "Invoking"
            default: status = step.attempts > 1 ? "Retrying" : "Running"
            }
        }
        if failure == nil, memo == nil, let last = step.info?["last_error"] { failure = last }
        fields.append(("status", .string(status)))
        fields += Self.timing(queued: step.startedAt, started: step.startedAt, ended: step.endedAt)
        var info = step.info?.objectValue ?? JSONObject()
        info["last_error"] = nil
        if let until = info["sleep_until"]?.numberValue {
            info["sleep_until"] = .string(InngestTime.rfc3339(milliseconds: Int64(until.doubleValue)))
        }
        if !info.isEmpty { fields.append(("step_info", .object(info))) }
        fields.append(("output", output))
        if let failure { fields.append(("error", failure)) }
        return .object(JSONObject(fields))
    }

    static func timing(queued: Int64, started: Int64, ended: Int64?) -> [(key: String, value: JSON)] {
        var fields: [(key: String, value: JSON)] = [
            ("queued_at", .string(InngestTime.rfc3339(milliseconds: queued))),
            ("started_at", .string(InngestTime.rfc3339(milliseconds: started))),
            ("ended_at", ended.map { .string(InngestTime.rfc3339(milliseconds: $0)) } ?? .null),
        ]
        if let ended { fields.append(("duration_ms", .number(JSONNumber(max(0, ended - started))))) }
        return fields
    }
}
