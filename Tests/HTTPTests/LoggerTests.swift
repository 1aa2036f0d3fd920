import Foundation
import Testing
import HTTP
import Support

@Suite struct LoggerTests {
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [String] = []
        func add(_ line: String) { lock.lock(); stored.append(line); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return stored }
    }

    @Test func writesOneJSONObjectPerLineWithContextAndEscaping() throws {
        let lines = Lines()
        let logger = Logger(minimumLevel: .info, sink: .lines(lines.add)).with(["component": "http"])
        logger.debug("hidden")
        logger.info("listening", ["port": 3111, "ok": true, "ratio": 0.5])
        logger.error("bad \"input\"\n\u{1}", ["path": "/a\\b"])
        #expect(lines.all.count == 2)
        let first = try #require(lines.all.first)
        #expect(first.hasPrefix("{\"ts\":\""))
        #expect(first.hasSuffix(",\"level\":\"info\",\"msg\":\"listening\",\"component\":\"http\",\"port\":3111,\"ok\":true,\"ratio\":0.5}"))
        #expect(lines.all[1].hasSuffix("\"level\":\"error\",\"msg\":\"bad \\\"input\\\"\\n\\u0001\",\"component\":\"http\",\"path\":\"/a\\\\b\"}"))
        for line in lines.all {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["ts"] is String)
        }
    }

    @Test func levelsParseByName() {
        #expect(Logger.Level(name: "WARN") == .warn)
        #expect(Logger.Level(name: "verbose") == nil)
        #expect(Logger.Level.debug < .error)
    }
}
