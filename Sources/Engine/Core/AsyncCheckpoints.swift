import InngestProtocol
import JSON

/// Async checkpoints (`POST /v1/checkpoint/{runId}/async`): step results a
/// worker saves while its call is still running, so it can go straight on to
/// the next step instead of answering `206` and waiting for another call.
///
/// As on the Inngest server: each `StepRun` is memoised at once, `StepPlanned`
/// is accepted and ignored, any other op refuses the whole request (sleeps,
/// waits and the like belong in the call's answer), and the call's attempts
/// start again from 0, so the next step gets its own retries. The call is
/// named by its queue item (`ctx.qi_id`); a checkpoint for a call the engine
/// no longer waits for (timed out and queued again, run finished) is stale.
struct AsyncCheckpoints: Sendable {
    let store: EngineStore
    let runs: RunLifecycle

    /// The server's limit for one step's output.
    static let maxStepOutputBytes = 4 << 20

    enum Outcome: Equatable {
        case stored(Int)
        case unknownRun
        case stale(String)
        case refused(String)
        case tooLarge(String)
    }

    /// Applies one checkpoint inside the caller's transaction; nothing changes unless every op is acceptable.
    func record(runID: String, functionID: String, queueItem: String, steps: [JSON]) throws -> Outcome {
        guard let run = try store.run(runID) else { return .unknownRun }
        guard functionID == run.functionID else { return .refused("fn_id '\(functionID)' is not the run's function") }
        guard run.status == .running else { return .stale("the run has ended (\(run.status.rawValue))") }
        guard let item = Int64(queueItem), try store.isCall(item, ofRun: runID) else {
            return .stale("qi_id '\(queueItem)' names no call of this run in flight")
        }
        var ops: [GeneratorOp] = []
        for entry in steps {
            let op: GeneratorOp
            do { op = try GeneratorOp(json: entry) } catch { return .refused("unreadable op: \(error)") }
            switch op.op {
            case .stepRun, .step:
                let size = (op.data ?? .null).serializedBytes().count
                if size > Self.maxStepOutputBytes {
                    return .tooLarge("step \(op.id) output is \(size) bytes, over \(Self.maxStepOutputBytes)")
                }
                ops.append(op)
            case .stepPlanned:
                continue
            default:
                return .refused("cannot checkpoint opcode: \(op.op.rawValue)")
            }
        }
        let now = runs.now
        for op in ops {
            let memo: JSON = op.op == .step ? (op.data ?? .null) : ["data": op.data ?? .null]
            guard try store.insertStep(runID, op.id, memo: memo.serialized()) else { continue }
            try store.logStep(runID, op.id, name: op.displayName, op: op.op.rawValue, startedAt: now, endedAt: now, attempts: 1)
        }
        try store.resetAttempts(ofQueueItem: item)
        return .stored(ops.count)
    }
}
