import Console
import Foundation
import Functions

/// Reads the agent loop's state store (on the functions' SQLite file) into
/// what the console's Loops page shows. It lives in a module of its own
/// because the console knows nothing of the functions and the functions know
/// nothing of the console; the worker wires this reader into the console, and
/// tests read real loop state through the same code.
public struct ConsoleLoopReader: Sendable {
    public let databasePath: String
    /// How many of the most recent loops the page lists.
    public var limit: Int

    public init(databasePath: String, limit: Int = 20) {
        self.databasePath = databasePath
        self.limit = limit
    }

    /// The most recent loops, newest first, each with its stories in plan
    /// order; none while no functions database exists yet (it is not created here).
    public func read() throws -> [ConsoleLoop] {
        guard FileManager.default.fileExists(atPath: databasePath) else { return [] }
        let store = LoopStateStore(database: try FunctionsDatabase(path: databasePath))
        return try store.recentLoops(limit: limit).map { loop in
            ConsoleLoop(id: loop.loopId, project: loop.project, title: loop.title, status: loop.status, reason: loop.reason,
                        createdAt: Int64(loop.createdAt.timeIntervalSince1970 * 1000),
                        stories: try store.stories(loop.loopId).map {
                            .init(id: $0.story.id, title: $0.story.title, status: $0.status.rawValue, attempts: $0.attempts,
                                  tool: $0.tool, lastResult: $0.lastResult)
                        })
        }
    }
}
