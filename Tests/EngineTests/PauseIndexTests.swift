import Foundation
import JSON
import Testing
@testable import Engine

/// The pause lookup key: which conditions can be indexed, that equal values
/// get equal keys, and that an event finds exactly the pauses it may resume
/// in a real (in-memory) store.
@Suite("Pause lookup by key")
struct PauseIndexTests {
    let trigger: JSON = ["data": ["key": "a", "n": 1, "obj": ["x": 1]]]

    func key(_ text: String) throws -> PauseIndex.Key? {
        PauseIndex.key(expression: try Expression(text), trigger: trigger, correlationID: nil)
    }

    @Test func equalitiesOnAnAsyncFieldAreIndexedOthersAreNot() throws {
        let expected = PauseIndex.Key(path: #"["data","key"]"#, value: "sa")
        #expect(try key("async.data.key == event.data.key") == expected)
        #expect(try key("event.data.key == async.data.key") == expected)
        #expect(try key("async.name != 'x' && event.data.key == async.data.key") == expected, "one conjunct is enough")
        #expect(try key("async.data.kind == 'done'") == PauseIndex.Key(path: #"["data","kind"]"#, value: "sdone"))
        #expect(try key("async.data.items[2] == event.data.n") == PauseIndex.Key(path: #"["data","items",2]"#, value: "n1.0"))
        #expect(try key("async.data.key == event.data.key || async.data.all == true") == nil, "either side may match")
        #expect(try key("async.data.key != event.data.key") == nil)
        #expect(try key("async.data.key == async.data.other") == nil)
        #expect(try key("async.data.obj == event.data.obj") == nil, "objects are not indexed")
        #expect(PauseIndex.key(expression: nil, trigger: .null, correlationID: "run.step")?.value == "srun.step")
    }

    @Test func valuesEqualUnderEqualityShareAKey() {
        #expect(PauseIndex.canonical(1) == PauseIndex.canonical(1.0))
        #expect(PauseIndex.canonical(0.0) == PauseIndex.canonical(.number(JSONNumber(-0.0))))
        #expect(PauseIndex.canonical("\u{E9}") == PauseIndex.canonical("e\u{301}"), "canonically equivalent strings")
        #expect(PauseIndex.canonical("1") != PauseIndex.canonical(1))
        #expect(PauseIndex.value(of: ["data": [:]], atPath: #"["data","key"]"#) == PauseIndex.canonical(.null))
    }

    @Test func anEventFindsOnlyThePausesForItsValuePlusUnindexedOnes() throws {
        let store = try EngineStore(path: ":memory:", synchronous: .full, now: 0)
        let condition = try Expression("async.data.key == event.data.key")
        try store.transaction {
            for n in 0..<50 {
                let trigger: JSON = ["data": ["key": .string("k\(n % 25)")]]
                try store.insertRun(id: "r\(n)", functionID: "f", eventID: "e\(n)", eventIDs: [], eventsText: "[]",
                                    concurrencyText: "[]", correlationID: nil, now: 0)
                try store.insertPause(PauseRecord(id: String(format: "p%03d", n), runID: "r\(n)", kind: .wait, stepID: "s", eventName: "reply",
                                                  expression: condition.source, correlationID: nil, triggerEventText: trigger.serialized(),
                                                  expiresAt: nil, matchKey: PauseIndex.key(expression: condition, trigger: trigger, correlationID: nil)),
                                      now: Int64(n))
            }
            try store.insertPause(PauseRecord(id: "p999", runID: "r0", kind: .wait, stepID: "t", eventName: "reply", expression: nil,
                                              correlationID: nil, triggerEventText: "{}", expiresAt: nil), now: 0)
        }
        let found = try store.candidatePauses(for: ["name": "reply", "data": ["key": "k3"]], name: "reply").map(\.id)
        #expect(found == ["p999", "p003", "p028"], "the unindexed pause and the two for k3, in creation order")
        #expect(try store.candidatePauses(for: ["name": "reply", "data": ["key": "nobody"]], name: "reply").map(\.id) == ["p999"])
        #expect(try store.candidatePauses(for: ["name": "other"], name: "other").isEmpty)
    }
}
