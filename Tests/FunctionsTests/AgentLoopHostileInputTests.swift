import Foundation
import JSON
import Testing
@testable import Functions

/// What the agent loop reads from programs it does not control (coding
/// agents' and LLMs' answers, test runners' summaries, a project's PRD),
/// fed hostile text: nothing traps, counts stay in range, and no story id
/// that could act as an option or a path is accepted. fuzz/ runs the same
/// readers (`agent-loop`) on generated input.
@Suite struct AgentLoopHostileInputTests {
    @Test(arguments: [
        ("99999999999999999999999 passed, 1 failed", Optional<Int>.none, Optional(1)),
        ("Ran 99999999999999999999 tests\nFAILED (failures=99999999999999)", nil, nil),
        ("Ran 3 tests\nFAILED (failures=2, errors=5)", Optional(0), Optional(7)),
        ("-5 passed, -3 failed", Optional(5), Optional(3)),
        ("Executed 2 tests, with 999999999 failures", Optional(0), Optional(999_999_999)),
        (String(repeating: " pass", count: 50_000), nil, nil),
    ] as [(String, Int?, Int?)])
    func testSummariesStayInRange(output: String, passed: Int?, failed: Int?) {
        let counts = TestCounts.parse(output)
        if let counts {
            #expect(counts.passed >= 0 && counts.failed >= 0)
            if let passed { #expect(counts.passed == passed) }
            if let failed { #expect(counts.failed == failed) }
        }
    }

    @Test(arguments: [
        String(repeating: "[", count: 100_000),
        "```json\n" + String(repeating: "{\"a\":", count: 5_000) + "1" + String(repeating: "}", count: 5_000) + "\n```",
        "{\"result\": 12}",
        "{\"result\": \"" + String(repeating: "}", count: 1000) + "\"}",
        "prose } before { the braces",
        "\u{0}\u{1}{\"verdict\":\"pass\"}\u{7f}",
    ])
    func toolAnswersNeverTrap(text: String) {
        _ = ClaudeOutputParser.parse(text)
    }

    @Test(arguments: ["-rf", "--output=x", "../up", "a/b", "a b", "", String(repeating: "x", count: 81), "ünï", "a\nb", "a;b"])
    func storyIdsThatCouldActAsOptionsOrPathsAreRefused(id: String) {
        #expect(!LoopIdentifier.isValid(id))
    }

    @Test func aPRDWithHostileIdsDecodesButItsIdsAreInvalid() throws {
        let prd = try JSON(parsing: #"{"title":"t","stories":[{"id":"--exec=sh","title":"x"},{"id":"OK-1","title":"y"}]}"#).decode(LoopPRD.self)
        #expect(prd.stories.map { LoopIdentifier.isValid($0.id) } == [false, true])
    }
}
