import Engine
import TestSupport
import Testing

@Suite("Identifiers and clocks")
struct IDGeneratorTests {
    @Test func ulidsAreSortableAndCarryTheirTime() {
        let clock = ManualClock(startMilliseconds: 1_767_225_600_000)
        let ids = ULIDGenerator(clock: clock)
        var previous = ""
        for i in 0..<1000 {
            if i % 100 == 0 { clock.advance(byMilliseconds: 1) }
            let id = ids.next()
            #expect(id.count == 26)
            #expect(id > previous)
            previous = id
        }
        #expect(ULIDGenerator.timestamp(of: previous) == 1_767_225_600_010)
        #expect(ULIDGenerator.timestamp(of: "not-a-ulid") == nil)
    }

    @Test func shiftedClockStartsAtItsInstantAndRunsInRealTime() async throws {
        let clock = ShiftedClock(startMilliseconds: 1_767_225_630_000)
        let first = clock.nowMilliseconds()
        #expect(first >= 1_767_225_630_000 && first < 1_767_225_640_000)
        try await Task.sleep(nanoseconds: 20_000_000)
        #expect(clock.nowMilliseconds() >= first + 20)
        #expect(!clock.isManual)
    }

    @Test func manualClockWakesObserversWhenAdvanced() {
        let clock = ManualClock(startMilliseconds: 0)
        let box = Counter()
        clock.onAdvance { box.next() }
        clock.advance(bySeconds: 2)
        clock.set(milliseconds: 1000) // never backwards
        #expect(clock.nowMilliseconds() == 2000)
        #expect(box.value == 2)
    }
}
