import Support
import Foundation
import HTTP
import InngestProtocol
import JSON

/// Carries out due queue items: makes worker calls for `call` items and
/// fires timers, then hands the resulting state change to `EngineCore`.
final class Executor: @unchecked Sendable {
    let core: EngineCore
    let client: any HTTPClient
    let signer: (any RequestSigner)?
    let limiter = ConcurrencyLimiter()
    let log: Logger
    /// Applied to every error a call returns before it is logged or stored.
    let redactor: SecretRedactor
    /// Set once the scheduler exists (they reference each other).
    var scheduler: Scheduler?
    /// Called after commit for each run that reached a terminal state.
    var onRunFinished: (@Sendable (String) -> Void)?

    init(core: EngineCore, client: any HTTPClient, signer: (any RequestSigner)?, redactor: SecretRedactor = SecretRedactor(),
         log: Logger) {
        self.core = core
        self.client = client
        self.signer = signer
        self.redactor = redactor
        self.log = log
    }

    /// Applies committed effects: schedules new items and reports finished runs.
    func apply(_ effects: EngineEffects) {
        scheduler?.add(effects.newItems)
        if let onRunFinished { effects.finishedRuns.forEach(onRunFinished) }
    }

    func execute(_ item: QueueItem) async {
        do {
            if item.kind == .call {
                try await call(item)
            } else {
                apply(try await core.fireTimer(item))
            }
        } catch {
            // Storage failed (disk full, I/O error): the item is still in the
            // queue table, so try again shortly rather than losing it.
            log.error("queue item failed; will retry", ["item": .int(Int(item.id)), "error": "\(error)"])
            var again = item
            again.dueAt = core.now + 1_000
            scheduler?.add([again])
        }
    }

    private func call(_ item: QueueItem) async throws {
        let store = core.store
        guard let runID = item.runID, let run = try store.run(runID) else { return }
        guard run.status == .running, try store.queueItemExists(item.id) else {
            // Ended while waiting (cancelled, timed out): a slot handed to it must not be lost.
            scheduler?.add(limiter.abandon(run.concurrency, item: item))
            return
        }
        guard let function = core.registry.function(run.functionID) else {
            // The function was removed after the run started: fail the run rather than leave it hanging.
            apply(try await core.applyCallOutcome(item, CallResult(
                outcome: .failed(["name": "Error", "message": .string("function '\(run.functionID)' is no longer registered")]),
                version: nil, noRetry: true, retryAt: nil)))
            return
        }
        guard limiter.acquire(run.concurrency, item: item) else { return } // parked until a slot frees
        if function.timeouts != nil {
            let begun: (Bool, EngineEffects)
            do { begun = try await core.beginCall(run, function) } catch {
                scheduler?.add(limiter.release(run.concurrency))
                throw error
            }
            apply(begun.1)
            guard begun.0 else { scheduler?.add(limiter.release(run.concurrency)); return }
        }
        let builder = CallRequestBuilder(run: run, function: function, steps: try store.steps(runID), stepID: item.stepID ?? discoveryStepID,
                                         attempt: item.attempt, queueItemID: item.id, maxBodyBytes: core.settings.maxCallBodyBytes,
                                         timeoutSeconds: core.settings.callTimeoutSeconds)
        let request = builder.request(signer: signer, now: core.now)
        var result: CallResult
        do {
            let response = try await client.send(request)
            result = CallResponseParser.parse(response, now: core.now)
        } catch {
            result = CallResult(outcome: .failed(["name": "Error", "message": .string("calling \(request.url) failed: \(error)")]),
                                version: nil, noRetry: false, retryAt: nil)
        }
        result = result.redactingErrors(with: redactor)
        if case .failed(let error) = result.outcome {
            log.warn("worker call failed", ["run_id": .string(runID), "function_id": .string(function.id), "attempt": .int(item.attempt),
                                            "error": .string(error["message"]?.stringValue ?? error.serialized())])
        }
        let effects: EngineEffects
        do {
            effects = try await core.applyCallOutcome(item, result)
        } catch {
            scheduler?.add(limiter.release(run.concurrency))
            throw error
        }
        scheduler?.add(limiter.release(run.concurrency))
        apply(effects)
    }
}

