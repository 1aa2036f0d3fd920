import JSON

// `step.parallel` and `step.race`: branches of steps the server runs concurrently.

extension StepTools {
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

    // MARK: Branch bookkeeping

    fileprivate struct ParallelState {
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
}
