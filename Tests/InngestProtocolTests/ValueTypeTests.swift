import Foundation
import Testing
import JSON
@testable import InngestProtocol

@Suite struct ValueTypeTests {
    @Test(arguments: [
        (Duration.seconds(90), "90s"),
        (Duration.milliseconds(300), "300ms"),
        (Duration.milliseconds(1500), "1500ms"),
        (Duration.zero, "0s"),
    ])
    func durationsFromSwift(_ d: Duration, _ text: String) {
        #expect(InngestDuration(d).text == text)
    }

    @Test func durationHelpers() {
        #expect(InngestDuration.days(7).text == "7d")
        #expect(InngestDuration.minutes(5).text == "5m")
        let literal: InngestDuration = "2h45m"
        #expect(literal.text == "2h45m")
    }

    @Test(arguments: [("500ms", 500), ("30s", 30_000), ("2h45m", 9_900_000), ("1d", 86_400_000), ("1w", 604_800_000),
                      ("1.5s", 1_500), (" 5m ", 300_000), ("1H", 3_600_000)] as [(String, Int64)])
    func durationsParse(_ text: String, _ expected: Int64) {
        #expect(InngestDuration(text).milliseconds == expected)
        #expect(InngestDuration(validating: text)?.text == text)
    }

    @Test func generatorOpsReadBackWhatTheSDKWrites() throws {
        let ops = [
            GeneratorOp(op: .stepRun, id: "h", name: "a", opts: ["type": "step"], data: ["n": 1]),
            GeneratorOp(op: .stepError, id: "h", name: "a", displayName: "A", error: ["name": "Error", "message": "m"]),
            GeneratorOp(op: .waitForEvent, id: "h", name: "w", opts: ["event": "x/y", "timeout": "1h"]),
        ]
        // The writer always sends `data` (null when absent), so the wire form round-trips.
        for op in ops { #expect(try GeneratorOp(json: op.json).json == op.json) }
        #expect(try GeneratorOp(json: ops[0].json) == ops[0])
        #expect(try GeneratorOp(json: ["op": "STEPPLANNED", "id": "h"]).op == .stepPlanned, "codes are read ignoring case")
        #expect(try GeneratorOp(json: ["id": "h"]).op == .none)
        #expect(throws: GeneratorOp.DecodingError.unknownOpcode("Teleport", id: "h")) { try GeneratorOp(json: ["op": "Teleport", "id": "h"]) }
        #expect(throws: GeneratorOp.DecodingError.notAnObject) { try GeneratorOp(json: "StepRun") }
    }

    @Test func malformedDurationsAreRefused() {
        for text in ["", "5", "ten seconds", "5y", "-1s", "1e400s", "999999999999w", ".s"] {
            #expect(InngestDuration(text).milliseconds == nil, "\(text)")
            #expect(InngestDuration(validating: text) == nil, "\(text)")
        }
        #expect(InngestDuration.days(7).milliseconds == 604_800_000)
        #expect(InngestDuration(.milliseconds(1500)).milliseconds == 1_500)
    }

    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00Z"),
        (951_782_400.0, "2000-02-29T00:00:00Z"),
        (-1.0, "1969-12-31T23:59:59Z"),
        (1787392800.999, "2026-08-22T10:00:00.999Z"),
        (4102444800.0, "2100-01-01T00:00:00Z"),
    ])
    func rfc3339(_ seconds: Double, _ text: String) {
        #expect(InngestTime.rfc3339(Date(timeIntervalSince1970: seconds)) == text)
    }

    @Test func eventsAreReadLeniently() throws {
        let e = try InngestEvent(json: ["name": "a/b", "data": nil, "ts": 1.717e12, "extra": true])
        #expect(e.data == [:])
        #expect(e.ts == 1_717_000_000_000)
        #expect(e.id == nil)
        #expect(throws: InngestWireError.self) { try InngestEvent(json: ["data": [:]]) }
        #expect(throws: InngestWireError.self) { try InngestEvent(json: "x") }
        struct Payload: Codable, Equatable { var url: String }
        let typed = try InngestEvent(name: "p/v", payload: Payload(url: "u"))
        #expect(try typed.decodeData(as: Payload.self) == Payload(url: "u"))
        #expect(typed.json == ["name": "p/v", "data": ["url": "u"]])
    }

    @Test func signingKeyPrefixes() throws {
        #expect(try SigningKey(parsing: "signkey-prod-ab12").prefix == "signkey-prod-")
        #expect(try SigningKey(parsing: "signkey-branch_1-ab12").prefix == "signkey-branch_1-")
        #expect(try SigningKey(parsing: "ab12").prefix == "")
        #expect(String(describing: try SigningKey(parsing: "signkey-prod-ab12")) == "SigningKey(signkey-prod-…)")
    }

    @Test func failureContextReadsTheFailedEvent() {
        let event = InngestEvent(name: "inngest/function.failed", data: [
            "function_id": "app-plan", "run_id": "r1",
            "error": ["name": "Error", "message": "boom", "stack": "s"],
            "event": ["name": "agent/loop.started", "data": ["loopId": "L"]],
        ])
        let failure = FunctionFailure(failedEvent: event)
        #expect(failure?.functionId == "app-plan")
        #expect(failure?.message == "boom")
        #expect(failure?.event?.data["loopId"] == "L")
        #expect(FunctionFailure(failedEvent: InngestEvent(name: "other")) == nil)
    }
}
