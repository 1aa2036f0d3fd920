import CSQLite
import Foundation

/// One SQLite connection with a cache of prepared statements.
///
/// Thread safety: every public method takes the connection's (recursive) lock
/// for its whole duration, and `transaction` holds it until commit or rollback,
/// so one instance may be shared between threads and tasks; calls are simply
/// serialised. For parallel readers open more connections to the same file
/// (WAL lets readers proceed while one writer commits). Do not share one
/// instance between processes; open one per process instead.
public final class SQLiteDatabase: @unchecked Sendable {
    /// How hard a commit works to reach the disk. `normal` in WAL mode survives
    /// a process crash (`kill -9`) but may lose the last commits on power loss;
    /// `full` survives power loss too at the cost of an fsync per commit. On
    /// Apple platforms `full` also turns on `fullfsync` (for commits and WAL
    /// checkpoints): there a plain fsync only reaches the drive's cache, and
    /// only `F_FULLFSYNC` makes the drive write it out.
    public enum Synchronous: String, Sendable { case off = "OFF", normal = "NORMAL", full = "FULL" }

    public struct Options: Sendable {
        public var busyTimeoutMilliseconds: Int32 = 5_000
        public var journalModeWAL = true
        public var foreignKeys = true
        public var synchronous: Synchronous = .full
        public var readOnly = false
        public init() {}
    }

    public let path: String
    private let handle: OpaquePointer
    private let lock = NSRecursiveLock()
    private var statements: [String: SQLiteStatement] = [:]
    private var transactionDepth = 0

    /// Opens (creating if needed) the database at `path`; `":memory:"` gives a private in-memory one.
    public init(path: String, options: Options = Options()) throws {
        self.path = path
        var db: OpaquePointer?
        let flags = (options.readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
            | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(code: rc, message: "cannot open \(path): \(message)")
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, options.busyTimeoutMilliseconds)
        do {
            if options.journalModeWAL && !options.readOnly { try execute("PRAGMA journal_mode=WAL") }
            try execute("PRAGMA foreign_keys=\(options.foreignKeys ? "ON" : "OFF")")
            try execute("PRAGMA synchronous=\(options.synchronous.rawValue)")
            #if canImport(Darwin)
            if options.synchronous == .full { try execute("PRAGMA fullfsync=ON; PRAGMA checkpoint_fullfsync=ON") }
            #endif
        } catch {
            statements.removeAll()
            sqlite3_close_v2(db)
            throw error
        }
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    // MARK: Running SQL

    /// Runs one or more `;`-separated statements without parameters (schema, pragmas).
    public func execute(_ sql: String) throws {
        try locked {
            var errorMessage: UnsafeMutablePointer<CChar>?
            let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
            if rc != SQLITE_OK {
                let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
                sqlite3_free(errorMessage)
                throw SQLiteError(code: sqlite3_extended_errcode(handle), message: message, sql: sql)
            }
        }
    }

    /// Runs one statement that returns no rows; returns the number of rows changed.
    @discardableResult
    public func run(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> Int {
        try locked {
            let statement = try prepared(sql)
            try statement.bind(parameters, database: handle)
            defer { sqlite3_reset(statement.handle) }
            while true {
                let rc = sqlite3_step(statement.handle)
                if rc == SQLITE_DONE { break }
                if rc != SQLITE_ROW { throw Self.error(rc, handle, sql) }
            }
            return Int(sqlite3_changes(handle))
        }
    }

    /// Runs one statement and returns every row.
    public func query(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> [SQLiteRow] {
        var rows: [SQLiteRow] = []
        try forEachRow(sql, parameters) { rows.append($0) }
        return rows
    }

    /// Runs one statement and returns its first row, if any.
    public func queryOne(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> SQLiteRow? {
        try locked {
            let statement = try prepared(sql)
            try statement.bind(parameters, database: handle)
            defer { sqlite3_reset(statement.handle) }
            let rc = sqlite3_step(statement.handle)
            if rc == SQLITE_DONE { return nil }
            guard rc == SQLITE_ROW else { throw Self.error(rc, handle, sql) }
            return statement.currentRow()
        }
    }

    /// Runs one statement and hands each row to `body` as it is produced.
    public func forEachRow(_ sql: String, _ parameters: [SQLiteValue] = [], _ body: (SQLiteRow) throws -> Void) throws {
        try locked {
            let statement = try prepared(sql)
            try statement.bind(parameters, database: handle)
            defer { sqlite3_reset(statement.handle) }
            while true {
                let rc = sqlite3_step(statement.handle)
                if rc == SQLITE_DONE { return }
                guard rc == SQLITE_ROW else { throw Self.error(rc, handle, sql) }
                try body(statement.currentRow())
            }
        }
    }

    /// The rowid of the most recent successful INSERT on this connection.
    public var lastInsertRowID: Int64 { locked { sqlite3_last_insert_rowid(handle) } }

    /// Rows changed by the most recent statement.
    public var changes: Int { locked { Int(sqlite3_changes(handle)) } }

    // MARK: Transactions

    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws
    /// (and rethrows). Nested calls become savepoints, so a helper that uses a
    /// transaction can be called from inside another one. The outermost level is
    /// `BEGIN IMMEDIATE`, taking the write lock up front so two writers never
    /// deadlock upgrading from read to write.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try locked {
            let depth = transactionDepth
            let savepoint = "sp\(depth)"
            try execute(depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT \(savepoint)")
            transactionDepth += 1
            defer { transactionDepth -= 1 }
            do {
                let result = try body()
                try execute(depth == 0 ? "COMMIT" : "RELEASE \(savepoint)")
                return result
            } catch {
                if depth == 0 {
                    try? execute("ROLLBACK")
                } else {
                    try? execute("ROLLBACK TO \(savepoint)")
                    try? execute("RELEASE \(savepoint)")
                }
                throw error
            }
        }
    }

    /// True while inside `transaction`.
    public var isInTransaction: Bool { locked { sqlite3_get_autocommit(handle) == 0 } }

    // MARK: Internals

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    private func prepared(_ sql: String) throws -> SQLiteStatement {
        if let cached = statements[sql] { return cached }
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            if rc == SQLITE_OK { throw SQLiteError(code: SQLITE_MISUSE, message: "no statement in SQL text", sql: sql) }
            throw Self.error(rc, handle, sql)
        }
        let compiled = SQLiteStatement(handle: statement, sql: sql)
        statements[sql] = compiled
        return compiled
    }

    static func error(_ rc: Int32, _ db: OpaquePointer, _ sql: String?) -> SQLiteError {
        let code = sqlite3_extended_errcode(db)
        return SQLiteError(code: code == SQLITE_OK ? rc : code, message: String(cString: sqlite3_errmsg(db)), sql: sql)
    }
}
