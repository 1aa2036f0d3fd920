import Foundation
import SQLite
import Testing
import TestSupport

/// A fresh database file in a private temporary directory, removed afterwards.
@Suite("SQLite wrapper")
struct SQLiteDatabaseTests {
    @Test func opensFileInWALModeWithForeignKeys() throws {
        let scratch = try TemporaryDirectory("enginetests")
        let path = scratch.file("test.sqlite")
        let db = try SQLiteDatabase(path: path)
        #expect(try db.queryOne("PRAGMA journal_mode")?.string(0) == "wal")
        #expect(try db.queryOne("PRAGMA foreign_keys")?.int(0) == 1)
    }

    @Test func roundTripsEveryStorageClass() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT)")
        let blob: [UInt8] = [0, 1, 2, 255]
        try db.run("INSERT INTO t VALUES (?, ?, ?, ?, ?)",
                   [.integer(Int64.max), .real(1.5), .text("héllo\u{0}x"), .blob(blob), .null])
        let row = try #require(try db.queryOne("SELECT i, r, s, b, n FROM t"))
        #expect(row.int64(0) == Int64.max)
        #expect(row.double(1) == 1.5)
        #expect(row.string(2) == "héllo\u{0}x")
        #expect(row.blob(3) == blob)
        #expect(row[4] == .null)
        #expect(row.int64("i") == Int64.max)
        #expect(row["missing"] == .null)
    }

    @Test func emptyBlobStaysABlob() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("CREATE TABLE t (b BLOB)")
        try db.run("INSERT INTO t VALUES (?)", [.blob([])])
        #expect(try db.queryOne("SELECT typeof(b), b FROM t")?.string(0) == "blob")
        #expect(try db.queryOne("SELECT b FROM t")?[0] == .blob([]))
    }

    @Test func preparedStatementsAreReusedAcrossCalls() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)")
        for i in 0..<100 { try db.run("INSERT INTO t (k, v) VALUES (?, ?)", [.integer(Int64(i)), .text("v\(i)")]) }
        #expect(try db.queryOne("SELECT count(*) FROM t")?.int(0) == 100)
        #expect(try db.query("SELECT v FROM t WHERE k < ? ORDER BY k", [3]).map { $0.string(0) } == ["v0", "v1", "v2"])
        #expect(db.lastInsertRowID == 99)
    }

    @Test func errorsCarrySQLitesMessageAndStatement() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("CREATE TABLE t (k INTEGER PRIMARY KEY)")
        try db.run("INSERT INTO t VALUES (1)")
        let error = try #require(throws: SQLiteError.self) { try db.run("INSERT INTO t VALUES (1)") }
        #expect(error.isUniqueViolation)
        #expect(error.message.contains("UNIQUE constraint failed: t.k"))
        #expect(error.sql == "INSERT INTO t VALUES (1)")

        let syntax = try #require(throws: SQLiteError.self) { try db.query("SELEC nonsense") }
        #expect(syntax.message.contains("syntax error"))

        let arity = try #require(throws: SQLiteError.self) { try db.run("INSERT INTO t VALUES (?)", []) }
        #expect(arity.message.contains("takes 1 parameters, 0 given"))
    }

    @Test func transactionCommitsOrRollsBackOnThrow() throws {
        struct Boom: Error {}
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("CREATE TABLE t (v INTEGER)")
        try db.transaction { try db.run("INSERT INTO t VALUES (1)") }
        #expect(throws: Boom.self) {
            try db.transaction {
                try db.run("INSERT INTO t VALUES (2)")
                throw Boom()
            }
        }
        #expect(try db.query("SELECT v FROM t").map { $0.int(0) } == [1])
        #expect(!db.isInTransaction)
    }

    @Test func nestedTransactionRollsBackOnlyItsOwnWork() throws {
        struct Boom: Error {}
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("CREATE TABLE t (v INTEGER)")
        try db.transaction {
            try db.run("INSERT INTO t VALUES (1)")
            try? db.transaction {
                try db.run("INSERT INTO t VALUES (2)")
                throw Boom()
            }
            try db.run("INSERT INTO t VALUES (3)")
        }
        #expect(try db.query("SELECT v FROM t ORDER BY v").map { $0.int(0) } == [1, 3])
    }

    @Test func foreignKeysAreEnforced() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("""
            CREATE TABLE parent (id INTEGER PRIMARY KEY);
            CREATE TABLE child (pid INTEGER REFERENCES parent(id));
            """)
        let error = try #require(throws: SQLiteError.self) { try db.run("INSERT INTO child VALUES (7)") }
        #expect(error.primaryCode == 19)
        #expect(error.message.contains("FOREIGN KEY"))
    }

    @Test func fullTextSearchFTS5IsAvailable() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body)")
        try db.run("INSERT INTO docs VALUES (?, ?)", ["Garden", "water the tomatoes every morning"])
        try db.run("INSERT INTO docs VALUES (?, ?)", ["Car", "service due in spring"])
        let hits = try db.query("SELECT title FROM docs WHERE docs MATCH ? ORDER BY rank", ["tomato*"])
        #expect(hits.map { $0.string(0) } == ["Garden"])
    }

    @Test func dataSurvivesReopeningTheFile() throws {
        let scratch = try TemporaryDirectory("enginetests")
        let path = scratch.file("test.sqlite")
        do {
            let db = try SQLiteDatabase(path: path)
            try db.execute("CREATE TABLE t (v TEXT)")
            try db.run("INSERT INTO t VALUES (?)", ["kept"])
        }
        let reopened = try SQLiteDatabase(path: path)
        #expect(try reopened.queryOne("SELECT v FROM t")?.string(0) == "kept")
    }

    @Test func sharedConnectionSerialisesConcurrentWriters() async throws {
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("CREATE TABLE t (v INTEGER)")
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<8 {
                group.addTask {
                    for j in 0..<50 {
                        try? db.transaction { try db.run("INSERT INTO t VALUES (?)", [.integer(Int64(i * 100 + j))]) }
                    }
                }
            }
        }
        #expect(try db.queryOne("SELECT count(*) FROM t")?.int(0) == 400)
    }

    @Test func openingAnUnreachablePathFailsClearly() throws {
        let error = try #require(throws: SQLiteError.self) {
            try SQLiteDatabase(path: "/nonexistent-dir-for-test/x.sqlite")
        }
        #expect(error.message.contains("cannot open /nonexistent-dir-for-test/x.sqlite"))
    }
}
