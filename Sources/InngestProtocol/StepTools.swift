import Foundation
import JSON

/// The durable step tools, available as `ctx.step`.
///
/// Every tool takes a step id, unique within the function (a repeated id is
/// fine: the n-th repeat becomes `id:n`). On the first call that reaches a
/// step, the SDK reports it and the function stops there; the server runs or
/// schedules it, remembers the result, and calls again, and this time the tool
/// returns the remembered result at once.
public struct StepTools: Sendable {
    let runtime: StepRuntime

    // MARK: run

    /// Runs `body` once, durably; its result is memoised and returned on every later replay.
    /// A thrown error is retried (per the function's `retries`); on the last attempt, or for
    /// a `NonRetriableError`, the step fails for good and replays throw a `StepError`.
    @discardableResult
    public func run<T: Codable & Sendable>(_ id: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let result = try await step(id, op: .stepPlanned, opts: nil, runOpts: nil) {
            try JSON(encoding: try await body())
        }
        return try decode(result, as: T.self, stepId: id)
    }

    /// Runs `body` once, durably, for its effect only.
    public func run(_ id: String, _ body: @escaping @Sendable () async throws -> Void) async throws {
        _ = try await step(id, op: .stepPlanned, opts: nil, runOpts: nil) {
            try await body()
            return .null
        }
    }

    // MARK: sleep

    /// Pauses the run for `duration` (at most a year). Costs nothing while asleep.
    public func sleep(_ id: String, for duration: InngestDuration) async throws {
        _ = try await step(id, op: .sleep, opts: ["duration": .string(duration.text)], runOpts: nil, execute: nil)
    }

    /// Pauses the run until `date`.
    public func sleepUntil(_ id: String, _ date: Date) async throws {
        _ = try await step(id, op: .sleep, opts: ["duration": .string(InngestTime.rfc3339(date))], runOpts: nil, execute: nil)
    }

    // MARK: waitForEvent

    /// Waits up to `timeout` for an event named `event`, optionally matching `condition`
    /// (CEL; `event` is this run's trigger, `async` the awaited event). Returns the
    /// event, or `nil` on timeout.
    public func waitForEvent(_ id: String, event: String, timeout: InngestDuration,
                             if condition: String? = nil) async throws -> InngestEvent? {
        var opts = JSONObject()
        opts["event"] = .string(event)
        opts["timeout"] = .string(timeout.text)
        if let condition { opts["if"] = .string(condition) }
        let result = try await step(id, op: .waitForEvent, opts: .object(opts), runOpts: nil, execute: nil)
        if result.isNull { return nil }
        do { return try InngestEvent(json: result) } catch {
            throw MemoDecodingError(stepId: id, detail: "expected an event or null: \(error)")
        }
    }

    /// Waits for an event whose `field` equals this run's trigger's:
    /// `match: "data.userId"` means `event.data.userId == async.data.userId`.
    public func waitForEvent(_ id: String, event: String, timeout: InngestDuration,
                             match field: String) async throws -> InngestEvent? {
        try await waitForEvent(id, event: event, timeout: timeout, if: "event.\(field) == async.\(field)")
    }

    // MARK: invoke

    /// Runs another function (by composite id `<appId>-<fnId>`) with `data` as its
    /// event data and returns its result. Throws a `StepError` if it fails, or
    /// with name `InngestInvokeTimeoutError` if it does not finish within `timeout`.
    public func invoke<Result: Decodable & Sendable, Payload: Encodable & Sendable>(
        _ id: String, functionId: String, data: Payload, timeout: InngestDuration? = nil
    ) async throws -> Result {
        var opts = JSONObject()
        opts["function_id"] = .string(functionId)
        opts["payload"] = ["data": try JSON(encoding: data)]
        if let timeout { opts["timeout"] = .string(timeout.text) }
        let result = try await step(id, op: .invokeFunction, opts: .object(opts), runOpts: nil, execute: nil)
        return try decode(result, as: Result.self, stepId: id)
    }

    /// Runs another function of this app and returns its result.
    public func invoke<Result: Decodable & Sendable, Payload: Encodable & Sendable>(
        _ id: String, function: InngestFunction, data: Payload, timeout: InngestDuration? = nil
    ) async throws -> Result {
        try await invoke(id, functionId: function.compositeId(appId: runtime.appId), data: data, timeout: timeout)
    }

    /// Runs another function of this app with empty event data and returns its result.
    public func invoke<Result: Decodable & Sendable>(
        _ id: String, function: InngestFunction, timeout: InngestDuration? = nil
    ) async throws -> Result {
        try await invoke(id, functionId: function.compositeId(appId: runtime.appId), data: JSON.object(JSONObject()), timeout: timeout)
    }

    // MARK: sendEvent

    /// Sends events durably (once, however often the function replays) and returns their ids.
    @discardableResult
    public func sendEvent(_ id: String, _ events: [InngestEvent]) async throws -> [String] {
        let hooks = runtime.hooks
        let result = try await step(id, op: .stepPlanned, opts: ["type": "step.sendEvent"],
                                    runOpts: ["type": "step.sendEvent"]) {
            let ids = try await hooks.sendEvents(events)
            return ["ids": .array(ids.map { .string($0) })]
        }
        guard let ids = result["ids"]?.arrayValue?.compactMap(\.stringValue) else {
            throw MemoDecodingError(stepId: id, detail: "expected {\"ids\":[…]}, found \(result.serialized())")
        }
        return ids
    }

    /// Sends one or more events durably and returns their ids.
    @discardableResult
    public func sendEvent(_ id: String, _ events: InngestEvent...) async throws -> [String] {
        try await sendEvent(id, events)
    }

    // MARK: parallel

    /// Runs independent branches of steps "in parallel": every step they reach is
    /// reported in one response, and the server runs them concurrently. Returns
    /// the branches' results in order.
    ///
    /// ```swift
    /// let (user, orders) = try await ctx.step.parallel(
    ///     { try await ctx.step.run("fetch-user") { try await db.user(id) } },
    ///     { try await ctx.step.run("fetch-orders") { try await db.orders(id) } })
    /// ```
    /// Branches are evaluated one after another during replay, so step ids are
    /// stable; each branch should only call steps, not wait on the others.
    /// (`async let` over step calls also works, but which steps one call
    /// reports then depends on task timing; `parallel` is deterministic.)
    public func parallel<each T: Sendable>(
        _ branch: repeat () async throws -> each T
    ) async throws -> (repeat each T) {
        let start = runtime.beginParallel()
        var state = ParallelState()
        let outcomes = (repeat await runBranch(each branch, &state))
        try finishParallel(start: start, state: state)
        return (repeat (each outcomes)!)
    }

    /// Runs a list of same-typed branches in parallel (e.g. one per item) and returns their results in order.
    public func parallel<T: Sendable>(_ branches: [() async throws -> T]) async throws -> [T] {
        let start = runtime.beginParallel()
        var state = ParallelState()
        var results: [T?] = []
        for branch in branches { results.append(await runBranch(branch, &state)) }
        try finishParallel(start: start, state: state)
        return results.map { $0! }
    }

    // MARK: race

    /// Runs branches like `parallel` but returns as soon as one finishes,
    /// with its result (or its error). Which branch finished first is decided
    /// by the order the server recorded (`ctx.stack`), so every replay picks
    /// the same winner; steps still pending in the other branches are dropped.
    ///
    /// ```swift
    /// let answer = try await ctx.step.race(
    ///     { try await ctx.step.waitForEvent("reply", event: "app/replied", timeout: "1h")?.data["text"]?.stringValue },
    ///     { try await ctx.step.sleep("give-up", for: .minutes(30)); return nil })
    /// ```
    public func race<T: Sendable>(_ branches: [() async throws -> T]) async throws -> T {
        let start = runtime.beginParallel()
        var winner: (position: Int, result: Result<T, any Error>)?
        var interrupted = false
        for branch in branches {
            runtime.beginBranch()
            let result: Result<T, any Error>
            do {
                result = .success(try await branch())
            } catch is StepInterruption {
                runtime.endBranch()
                interrupted = true
                continue
            } catch {
                result = .failure(error)
            }
            let state = runtime.endBranch()
            if state.interrupted {  // user code swallowed an interruption
                interrupted = true
                continue
            }
            if winner == nil || state.lastCompletion < winner!.position {
                winner = (state.lastCompletion, result)
            }
        }
        if let winner {
            runtime.discardFound(since: start)
            return try winner.result.get()
        }
        if interrupted {
            runtime.markRace(since: start)
            throw runtime.propagateInterruption()
        }
        throw NonRetriableError("race needs at least one branch")
    }

    /// `race` over branches given one by one.
    public func race<T: Sendable>(_ branches: (() async throws -> T)...) async throws -> T {
        try await race(branches)
    }

    // MARK: Internals

    struct ParallelState {
        var interrupted = false
        var firstError: (any Error)?
    }

    private func runBranch<T>(_ branch: () async throws -> T, _ state: inout ParallelState) async -> T? {
        runtime.beginBranch()
        defer { if runtime.endBranch().interrupted { state.interrupted = true } }
        do {
            return try await branch()
        } catch is StepInterruption {
            state.interrupted = true
        } catch {
            if state.firstError == nil { state.firstError = error }
        }
        return nil
    }

    private func finishParallel(start: Int, state: ParallelState) throws {
        if let error = state.firstError {
            runtime.discardFound(since: start)
            throw error
        }
        if state.interrupted { throw runtime.propagateInterruption() }
    }

    /// Resolves one step: returns its memoised result, throws its memoised error,
    /// or records it as new and stops the branch.
    ///
    /// Always inlined: replay walks every memoised step through here, and as a
    /// separate async call each one paid for an async frame and an executor
    /// check (measured with bench/serve/cost.sh: +640 instructions per memoised
    /// step when an unrelated change to `GeneratorOp` tipped the inliner).
    @inline(__always)
    private func step(_ id: String, op: GeneratorOp.Opcode, opts: JSON?, runOpts: JSON?,
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

    private func decode<T: Decodable>(_ value: JSON, as type: T.Type, stepId: String) throws -> T {
        do { return try value.decode(type) } catch {
            throw MemoDecodingError(stepId: stepId, detail: String(describing: error))
        }
    }
}
