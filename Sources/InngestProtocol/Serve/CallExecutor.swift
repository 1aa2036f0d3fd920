import JSON

/// Runs one call of one function: replays the body against the memoised
/// steps, then decides what to report (docs/serve-protocol.md, "What one call does"):
///
/// - the body returned and nothing new was found ⇒ `200` with its result;
/// - discovery (`stepId=step`) found exactly one new `run` step and immediate
///   execution is allowed ⇒ run it now, report `StepRun` or `StepError` (final ones with `X-Inngest-No-Retry: true`);
/// - discovery found anything else ⇒ report every step found (`StepPlanned`
///   for runs, `Sleep`/`WaitForEvent`/`WaitForSignal`/`InvokeFunction` for the rest);
/// - a targeted call (`stepId=<hash>`) ⇒ run exactly that step, or a retriable
///   `500` if the replay never reached it.
struct CallExecutor: Sendable {
    /// The server rejects larger step outputs (`pkg/consts` in inngest/inngest), so the step fails here, clearly.
    static let maxStepOutputBytes = 4 << 20

    let appId: String
    let middleware: [any InngestMiddleware]
    let logSink: any InngestLogSink
    let sendEvents: @Sendable ([InngestEvent]) async throws -> [String]
    let sendSignal: @Sendable (String, JSON) async throws -> String?

    func execute(_ function: InngestFunction, request: CallRequest, stepId: String) async -> CallOutcome {
        let call = MiddlewareCall(functionId: function.id, runId: request.runId, attempt: request.attempt)
        var input = MiddlewareInput(call: call, event: request.event, events: request.events)
        for m in middleware { await m.transformInput(&input) }

        let mode: StepRuntime.Mode = (stepId.isEmpty || stepId == "step")
            ? .discovery(immediateExecutionAllowed: !request.disableImmediateExecution)
            : .target(stepId)
        let hooks = RuntimeHooks(call: call, middleware: middleware, sendEvents: sendEvents, sendSignal: sendSignal)
        let runtime = StepRuntime(mode: mode, memos: request.steps, appId: appId, hooks: hooks, stack: request.stack)
        let logger = InngestLogger(sink: logSink,
                                   fields: [("function", function.id), ("run_id", request.runId)],
                                   isReplaying: { runtime.isReplaying })
        let ctx = FunctionContext(event: input.event, events: input.events, runId: request.runId,
                                  attempt: request.attempt, maxAttempts: request.maxAttempts,
                                  functionId: function.id, step: StepTools(runtime: runtime), logger: logger)

        if runtime.takeReplayEnd() { await beforeExecution(call) }
        let outcome: Result<JSON, any Error>
        do { outcome = .success(try await function.body(ctx)) } catch { outcome = .failure(error) }

        let found = runtime.foundSteps
        if !found.isEmpty {
            if runtime.takeReplayEnd() { await beforeExecution(call) }
            if runtime.interruptionWasSwallowed || !isInterruption(outcome) {
                logSink.log(.warn, "function \(function.id) caught the SDK's step interruption and carried on; catch specific errors instead of all (the new step is reported anyway)", fields: [("run_id", request.runId)])
            }
            let maxAttempts = request.maxAttempts ?? ((function.config.retries ?? FunctionConfiguration.defaultRetries) + 1)
            switch mode {
            case .target:
                return await run(found[0], runtime: runtime, call: call, attempt: request.attempt, maxAttempts: maxAttempts)
            case .discovery(let allowed):
                if allowed, found.count == 1, found[0].execute != nil {
                    return await run(found[0], runtime: runtime, call: call, attempt: request.attempt, maxAttempts: maxAttempts)
                }
                await afterExecution(call)
                return .steps(found.map(\.op), noRetry: false, retryAfter: nil)
            }
        }

        await afterExecution(call)
        if case .target(let target) = mode {
            return .stepNotFound(requested: target, found: [])
        }
        switch outcome {
        case .success(let value):
            var output = MiddlewareOutput(call: call, stepId: nil, result: value, error: nil)
            for m in middleware { await m.transformOutput(&output) }
            return .completed(output.result ?? .null)
        case .failure(let error):
            var output = MiddlewareOutput(call: call, stepId: nil, result: nil, error: ErrorSerializer.serialize(error))
            for m in middleware { await m.transformOutput(&output) }
            let retriable = !(error is NonRetriableError || error is StepError)
            return .failed(error: output.error ?? ErrorSerializer.serialize(error), retriable: retriable,
                           retryAfter: (error as? RetryAfterError)?.retryAfterHeader)
        }
    }

    /// Runs one run-like step and reports its result or error.
    private func run(_ step: StepRuntime.Found, runtime: StepRuntime, call: MiddlewareCall, attempt: Int, maxAttempts: Int) async -> CallOutcome {
        guard let execute = step.execute else {
            // A targeted sleep/wait/invoke is not something the server asks for; report it again.
            await afterExecution(call)
            return .steps([step.op], noRetry: false, retryAfter: nil)
        }
        var result: Result<JSON, any Error>
        runtime.beginExecuting(step.userId)
        do { result = .success(try await execute()) } catch { result = .failure(error) }
        runtime.endExecuting()
        // Serialized once: measured here against the limit, and sent as is
        // unless a middleware wrote the result.
        var serialized: [UInt8]?
        if case .success(let data) = result {
            let bytes = data.serializedBytes()
            if bytes.count > Self.maxStepOutputBytes {
                result = .failure(NonRetriableError("step \"\(step.userId)\" returned \(bytes.count) bytes; Inngest stores at most \(Self.maxStepOutputBytes) bytes per step (return a reference instead)"))
            } else {
                serialized = bytes
            }
        }
        await afterExecution(call)

        switch result {
        case .success(let data):
            var output = MiddlewareOutput(call: call, stepId: step.userId, result: data, error: nil)
            for m in middleware { await m.transformOutput(&output) }
            var op = GeneratorOp(op: .stepRun, id: step.hashedId, name: step.userId,
                                 opts: step.runOpts, data: output.result ?? .null)
            if !output.resultWasWritten { op.serializedData = serialized }
            return .steps([op], noRetry: false, retryAfter: nil)
        case .failure(let error):
            var output = MiddlewareOutput(call: call, stepId: step.userId, result: nil, error: ErrorSerializer.serialize(error))
            for m in middleware { await m.transformOutput(&output) }
            let final = error is NonRetriableError || error is NestedStepError || attempt + 1 >= maxAttempts
            // Always `StepError`, final or not: servers before September 2025 (e.g. the dev
            // server at c5ee6c2c) reject a `StepFailed` op and the run hangs, while every
            // server treats `StepError` + `X-Inngest-No-Retry: true` as the final failure.
            let op = GeneratorOp(op: .stepError, id: step.hashedId, name: step.userId,
                                 opts: step.runOpts, error: output.error ?? ErrorSerializer.serialize(error))
            return .steps([op], noRetry: final, retryAfter: (error as? RetryAfterError)?.retryAfterHeader)
        }
    }

    private func isInterruption(_ outcome: Result<JSON, any Error>) -> Bool {
        if case .failure(let e) = outcome, e is StepInterruption { return true }
        return false
    }

    private func beforeExecution(_ call: MiddlewareCall) async {
        for m in middleware { await m.beforeExecution(call) }
    }

    private func afterExecution(_ call: MiddlewareCall) async {
        for m in middleware { await m.afterExecution(call) }
    }
}
