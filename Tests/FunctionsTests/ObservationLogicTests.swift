import Foundation
import Testing
@testable import Functions

@Suite struct ObservationLogicTests {
    static let answer = """
    <observations>
      <segment>
        <narrative>Debugged worker crash caused by a missing dependency.</narrative>
        <facts>
          - 🔴 [gate=allow confidence=0.92 category=jc:operations reason=system_fact] start.sh must run bun install before serve
          - 🟡 [gate=hold confidence=0.61 category=jc:nonsense reason=contextual_pattern] the worker restarts are noisy
        </facts>
      </segment>
    </observations>
    <current-task>Harden worker startup</current-task>
    <suggested-response>Say it is fixed.</suggested-response>
    """

    @Test func parsesSegmentsFactsAndTasks() {
        let out = ObserverOutput.parse(Self.answer)
        #expect(out.parsed)
        #expect(out.segments.count == 1)
        #expect(out.segments[0].narrative == "Debugged worker crash caused by a missing dependency.")
        #expect(out.segments[0].facts == [
            "🔴 [gate=allow confidence=0.92 category=jc:operations reason=system_fact] start.sh must run bun install before serve",
            "🟡 [gate=hold confidence=0.61 category=jc:nonsense reason=contextual_pattern] the worker restarts are noisy",
        ])
        #expect(out.currentTask == "Harden worker startup")
        #expect(out.suggestedResponse == "Say it is fixed.")
        #expect(ObserverOutput.parse("🟢 a marked line").parsed)
        #expect(!ObserverOutput.parse("plain prose").parsed)
        #expect(!ObserverOutput.parse("").parsed)
    }

    @Test func writeGateReadsAnnotationsAndFallsBack() {
        let allow = WriteGate.decide("🔴 [gate=allow confidence=0.92 category=jc:operations reason=system_fact] start.sh must run bun install")
        #expect(allow.verdict == .allow && allow.confidence == 0.92 && allow.reason == "system_fact" && !allow.fallback)
        #expect(allow.text == "start.sh must run bun install" && allow.category == "jc:operations" && allow.categorySource == "llm")
        let hold = WriteGate.decide("- 🟡 [verdict=HOLD confidence=7 category=jc:nonsense] the worker restarts are noisy")
        #expect(hold.verdict == .hold && hold.confidence == 1 && hold.categorySource == "rules" && hold.category == "jc:operations")
        let bare = WriteGate.decide("Joel prefers tabs")
        #expect(bare.verdict == .allow && bare.fallback && bare.confidence == 0.35 && bare.reason == "parse_fallback")
        #expect(bare.category == "jc:preferences")
    }

    @Test func sanitizerStripsToolCallsAndShellLines() {
        let raw = """
        user: why did the worker crash?
        <toolCall><id>toolu_01ABC</id><name>bash</name><arguments>{"cmd":"ls"}</arguments></toolCall>
        assistant: the dependency was missing
        $ bun install
        git log --oneline | head
        &lt;toolCall&gt;secret&lt;/toolCall&gt;
        leaked toolu_999 id
        """
        #expect(ObservationSanitizer.sanitizeTranscript(raw) == "user: why did the worker crash?\n\nassistant: the dependency was missing")
        #expect(ObservationSanitizer.sanitizeText("<toolCall>x</toolCall>") == nil)
        #expect(ObservationSanitizer.sanitizeText("git is fine to mention") == "git is fine to mention")
    }

    @Test func dailyLogBlockMatchesTheFixtureAndAppendsOnce() {
        let out = ObserverOutput.parse("""
        <observations><segment><narrative>Debugged worker crash caused by a missing dependency.</narrative>
        <facts>
        - 🔴 [gate=allow confidence=0.92 category=jc:operations reason=system_fact] start.sh must run bun install before serve
        </facts></segment></observations><current-task>Harden worker startup</current-task>
        """)
        let block = ObservationDailyLog.block(sessionId: "s-123", dedupeKey: "s-123:compaction:1", time: "10:04", trigger: "compaction",
                                              filesModified: 3, filesRead: 12, output: out, fallbackText: "")
        #expect(block == """

        ### 🔭 Observations (session: s-123, 10:04) <!-- observe:s-123:compaction:1 -->

        **Trigger**: compaction
        **Files**: 3 modified, 12 read

        #### Debugged worker crash caused by a missing dependency.

        🔴 [gate=allow confidence=0.92 category=jc:operations reason=system_fact] start.sh must run bun install before serve

        **Current task**: Harden worker startup

        """)
        let once = ObservationDailyLog.appending(block, dedupeKey: "s-123:compaction:1", to: "# log\n")
        #expect(ObservationDailyLog.appending(block, dedupeKey: "s-123:compaction:1", to: once) == once)
        #expect(ObservationDailyLog.clockTime("2026-02-16T10:04:59.000Z", timeZone: TimeZone(identifier: "UTC")!) == "10:04")
    }
}

@Suite struct LexicalVectorTests {
    @Test func sharedWordsMeanCloserVectors() {
        let a = LexicalVector.embed("start.sh must run bun install before serve")
        let b = LexicalVector.embed("Start.sh must run bun install before serving!")
        let c = LexicalVector.embed("Joel prefers short answers")
        func cosine(_ x: [Double], _ y: [Double]) -> Double { zip(x, y).reduce(0) { $0 + $1.0 * $1.1 } }
        #expect(a.count == 256)
        #expect(cosine(a, b) > 0.7)
        #expect(cosine(a, c) < 0.3)
        #expect(LexicalVector.embed("start.sh must run bun install before serve") == a, "deterministic")
        #expect(LexicalVector.embed("a b").allSatisfy { $0 == 0 })
    }
}
