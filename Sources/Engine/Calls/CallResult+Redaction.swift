import InngestProtocol
import JSON

extension CallResult {
    /// This result with every string in its errors (the failed call's error, each
    /// failed step's error) passed through `redactor`, so no key a function met
    /// (an event-API URL in a step's error, the engine's own keys) is stored with
    /// the run or logged.
    func redactingErrors(with redactor: SecretRedactor) -> CallResult {
        let outcome: Outcome
        switch self.outcome {
        case .completed:
            return self
        case .failed(let error):
            outcome = .failed(Self.redact(error, redactor))
        case .ops(let ops):
            // Most calls report steps without errors: nothing to copy then.
            guard ops.contains(where: { if case .known(let op) = $0 { op.error != nil } else { false } }) else { return self }
            outcome = .ops(ops.map { received in
                guard case .known(var op) = received else { return received }
                op.error = op.error.map { Self.redact($0, redactor) }
                return .known(op)
            })
        }
        return CallResult(outcome: outcome, version: version, noRetry: noRetry, retryAt: retryAt)
    }

    static func redact(_ json: JSON, _ redactor: SecretRedactor) -> JSON {
        switch json {
        case .string(let text): return .string(redactor.redact(text))
        case .array(let items): return .array(items.map { redact($0, redactor) })
        case .object(let object):
            var copy = object
            for (key, value) in object { copy[key] = redact(value, redactor) }
            return .object(copy)
        default: return json
        }
    }
}
