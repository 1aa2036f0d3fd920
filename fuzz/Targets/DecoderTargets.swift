import Engine
import Foundation
import Functions
import InngestProtocol
import JSON
import Ops

// Decoders of outside input that are pure functions of their bytes:
// `call-request`, `expression`, `cron`, `inventory`, `config`.

/// `call-request`: a call body, as the serve handler reads it.
func fuzzCallRequest(_ bytes: [UInt8]) {
    guard let json = try? JSON(parsing: bytes) else { return }
    _ = try? CallRequest(json: json)
}

private let sampleEvent: JSON = try! JSON(parsing: #"{"name":"fuzz/event","data":{"id":"a","n":3,"list":[1,2,"x"],"nested":{"ok":true,"s":"hello"}},"user":{},"ts":1767225600000}"#)

/// `expression`: the CEL subset. Input: expression, NUL, optional event JSON.
func fuzzExpression(_ bytes: [UInt8]) {
    var input = FuzzInput(bytes)
    let source = String(decoding: input.field(), as: UTF8.self)
    let eventBytes = input.rest()
    guard let expression = try? Expression(source) else { return }
    let event = (try? JSON(parsing: eventBytes)) ?? sampleEvent
    _ = expression.evaluate(event: event)
    _ = expression.matches(event: event, async: sampleEvent)
    _ = expression.referencedRoots
    // Parsing is a function of the text: the same source parses to the same expression.
    guard (try? Expression(source)) == expression else { fatalError("re-parse differs for \(source.debugDescription)") }
}

/// `cron`: schedules, and a few of the times they name. Input: a start-time
/// selector byte pair, then the expression.
func fuzzCron(_ bytes: [UInt8]) {
    var input = FuzzInput(bytes)
    let offsetDays = Int64(input.byte()) << 8 | Int64(input.byte())
    let source = String(decoding: input.rest(), as: UTF8.self)
    guard let schedule = try? CronSchedule(source) else { return }
    var t: Int64 = 1_767_225_600_000 + offsetDays * 86_400_000 / 7
    for _ in 0..<3 {
        guard let next = schedule.next(afterMilliseconds: t) else { return }
        guard next > t else { fatalError("\(source.debugDescription): next(after: \(t)) = \(next) is not later") }
        t = next
    }
}

/// `inventory`: the machines/services file the ops tools read.
func fuzzInventory(_ bytes: [UInt8]) {
    guard let text = String(validating: bytes, as: UTF8.self) else { return }
    _ = try? Inventory(json: text)
}

/// `config`: the functions' settings file, the SDK's environment variables.
/// Input: settings JSON, NUL, environment lines `NAME=value`.
func fuzzConfiguration(_ bytes: [UInt8]) {
    var input = FuzzInput(bytes)
    let settings = input.field()
    var environment: [String: String] = ["HOME": "/nonexistent/home"]
    for line in input.rest().split(separator: 0x0A) {
        let parts = String(decoding: line, as: UTF8.self).split(separator: "=", maxSplits: 1)
        guard let name = parts.first else { continue }
        environment[String(name)] = parts.count > 1 ? String(parts[1]) : ""
    }
    _ = try? InngestConfiguration(environment: environment)
    if case .object(let object)? = try? JSON(parsing: settings) {
        _ = try? FunctionsConfig(settings: object, environment: environment)
    }
}
