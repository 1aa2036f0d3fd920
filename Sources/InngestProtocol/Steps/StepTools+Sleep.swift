import Foundation
import JSON

// `step.sleep` and `step.sleepUntil`: pauses the server keeps, at no cost to the worker.

extension StepTools {
    /// Pauses the run for `duration` (at most a year). Costs nothing while asleep.
    public func sleep(_ id: String, for duration: InngestDuration) async throws {
        _ = try await step(id, op: .sleep, opts: ["duration": .string(duration.text)], runOpts: nil, execute: nil)
    }

    /// Pauses the run until `date`.
    public func sleepUntil(_ id: String, _ date: Date) async throws {
        _ = try await step(id, op: .sleep, opts: ["duration": .string(InngestTime.rfc3339(date))], runOpts: nil, execute: nil)
    }
}
