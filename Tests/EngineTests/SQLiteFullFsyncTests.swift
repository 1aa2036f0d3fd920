import Foundation
import SQLite
import Testing
import TestSupport

/// `synchronous = full` promises that a commit survives power loss; on Apple
/// platforms that takes `fullfsync` as well (a plain fsync stops at the drive's cache).
@Suite struct SQLiteFullFsyncTests {
    @Test func fullSynchronousTurnsOnFullFsyncWhereItMatters() throws {
        let scratch = try TemporaryDirectory("enginetests")
        let path = scratch.file("test.sqlite")
        let durable = try SQLiteDatabase(path: path)
        #expect(try durable.queryOne("PRAGMA synchronous")?.int(0) == 2)
        var relaxed = SQLiteDatabase.Options()
        relaxed.synchronous = .normal
        let cheap = try SQLiteDatabase(path: path, options: relaxed)
        #expect(try cheap.queryOne("PRAGMA synchronous")?.int(0) == 1)
        #expect(try cheap.queryOne("PRAGMA fullfsync")?.int(0) == 0)
        #if canImport(Darwin)
        #expect(try durable.queryOne("PRAGMA fullfsync")?.int(0) == 1)
        #expect(try durable.queryOne("PRAGMA checkpoint_fullfsync")?.int(0) == 1)
        #else
        // Elsewhere fsync already reaches stable storage; the pragma would be a no-op.
        #expect(try durable.queryOne("PRAGMA fullfsync")?.int(0) == 0)
        #endif
    }
}
