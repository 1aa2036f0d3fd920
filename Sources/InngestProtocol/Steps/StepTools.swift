import Foundation
import JSON

/// The durable step tools, available as `ctx.step`.
///
/// Every tool takes a step id, unique within the function (a repeated id is
/// fine: the n-th repeat becomes `id:n`). On the first call that reaches a
/// step, the SDK reports it and the function stops there; the server runs or
/// schedules it, remembers the result, and calls again, and this time the tool
/// returns the remembered result at once.
///
/// Each kind of step has its own file (`StepTools+Run.swift`,
/// `StepTools+Sleep.swift`, …); this one holds what they share: resolving a
/// step id against the memoised state.
public struct StepTools: Sendable {
    let runtime: StepRuntime

    // MARK: Shared by every tool

    /// Resolves one step: returns its memoised result, throws its memoised error,
    /// or records it as new and stops the branch.
    ///
    /// Always inlined: replay walks every memoised step through here, and as a
    /// separate async call each one paid for an async frame and an executor
    /// check (measured with bench/serve/cost.sh: +640 instructions per memoised
    /// step when an unrelated change to `GeneratorOp` tipped the inliner).
    @inline(__always)
    func step(_ id: String, op: GeneratorOp.Opcode, opts: JSON?, runOpts: JSON?,
                      execute: (@Sendable () async throws -> JSON)?) async throws -> JSON {
        let (hashed, lookup) = try runtime.lookup(id)
        switch lookup {
        case .memoised(let memo):
            if runtime.takeReplayEnd() {
                for m in runtime.hooks.middleware { await m.beforeExecution(runtime.hooks.call) }
            }
            switch memo {
            case .data(let value), .value(let value): return value
            case .error(let error): throw StepError(stepId: id, memoisedError: error)
            case .pending: preconditionFailure("pending memos are never returned by lookup")
            }
        case .new:
            let planned = GeneratorOp(op: op, id: hashed, name: id, opts: opts)
            throw runtime.interrupt(at: .init(userId: id, hashedId: hashed, op: planned, execute: execute, runOpts: runOpts))
        }
    }

    /// Decodes a memoised result as the type the caller asked for.
    func decode<T: Decodable>(_ value: JSON, as type: T.Type, stepId: String) throws -> T {
        do { return try value.decode(type) } catch {
            throw MemoDecodingError(stepId: stepId, detail: String(describing: error))
        }
    }
}
