import Foundation

// Waiting for something another thread or process will do (a file written, a
// run finished, a process gone): the condition is asked every few
// milliseconds until it holds. The timeout only keeps a failing test from
// hanging, so it is generous: a loaded CI machine is slow, and no test
// asserts how soon the thing happened (bench/ measures that). A condition
// that throws counts as "not yet" (a read racing a write).

/// True once `condition` holds; false if it still does not after `timeout` seconds.
public func eventually(timeout: Double = 20, every interval: Double = 0.005,
                       _ condition: () async throws -> Bool) async -> Bool {
    await poll(timeout: timeout, every: interval) { try await condition() ? true : nil }.value ?? false
}

/// Waits until `condition` holds, or throws a `TestFailure` naming `what`
/// (and the condition's last error, if it threw).
public func waitUntil(_ what: String, timeout: Double = 20, every interval: Double = 0.005,
                      _ condition: () async throws -> Bool) async throws {
    let outcome = await poll(timeout: timeout, every: interval) { try await condition() ? true : nil }
    guard outcome.value == nil else { return }
    throw TestFailure("timed out after \(timeout) s waiting for \(what)"
                        + (outcome.lastError.map { " (last error: \($0))" } ?? ""))
}

/// The first value `probe` answers; nil if it has answered none after `timeout` seconds.
public func firstValue<T>(timeout: Double = 20, every interval: Double = 0.005,
                          _ probe: () async throws -> T?) async -> T? {
    await poll(timeout: timeout, every: interval, probe).value
}

private func poll<T>(timeout: Double, every interval: Double,
                     _ probe: () async throws -> T?) async -> (value: T?, lastError: (any Error)?) {
    let deadline = Date().addingTimeInterval(timeout)
    var lastError: (any Error)?
    while true {
        do {
            if let value = try await probe() { return (value, nil) }
        } catch {
            lastError = error
        }
        guard Date() < deadline else { return (nil, lastError) }
        try? await Task.sleep(nanoseconds: UInt64(max(0, interval) * 1_000_000_000))
    }
}
