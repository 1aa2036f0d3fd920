import Engine
import Foundation
import InngestProtocol
import JSON
import SQLite
import Testing

/// Keys never reach a stored run error or step memo, whatever text a function fails with.
@Suite struct EngineRedactionTests {
    static let eventKey = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    static let signingKey = "signkey-prod-00112233445566778899aabbccddeeff"

    @Test func storedRunAndStepErrorsHoldNoKeys() async throws {
        // A tool's error text, as a function might pass it on (curl's, a proxy's).
        let leak = "POST http://127.0.0.1:9/e/\(Self.eventKey) failed; also tried /e/\(Self.eventKey)?x=1 with \(Self.signingKey)"
        let fn = InngestFunction(id: "leaky", triggers: [.event("test/leaky")]) { ctx -> String in
            try await ctx.step.run("alert") { () -> String in throw NonRetriableError(leak) }
        }
        let h = try await EngineHarness.start(functions: [fn])
        let id = try await h.send("test/leaky")
        let runs = try await h.finishedRuns(forEvent: id)
        #expect(runs[0]["status"] == "Failed")
        let stored = try #require(runs[0]["error"]?["message"]?.stringValue)
        #expect(stored.contains("http://127.0.0.1:9/e/[redacted] failed"), "\(stored)")
        #expect(!stored.contains(Self.eventKey) && !stored.contains("00112233445566778899aabbccddeeff"), "\(stored)")
        let memos = try h.probe().query("SELECT memo FROM steps").map { $0.string(0) ?? "" }
        #expect(!memos.isEmpty)
        for memo in memos {
            #expect(!memo.contains(Self.eventKey) && !memo.contains("00112233445566778899aabbccddeeff"), "\(memo)")
        }
        await h.stop()
    }
}
