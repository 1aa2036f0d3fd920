import CSQLite

/// A compiled statement owned by a `SQLiteDatabase` and reused across calls.
///
/// Internal: callers pass SQL text and the database looks the compiled form up
/// in its cache, so there is no handle whose lifetime they must manage.
final class SQLiteStatement {
    let handle: OpaquePointer
    let sql: String
    private(set) lazy var columnNames: [String] = (0..<sqlite3_column_count(handle)).map {
        String(cString: sqlite3_column_name(handle, $0))
    }

    init(handle: OpaquePointer, sql: String) {
        self.handle = handle
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// Clears the previous run's state and binds `values` to `?1...?n`.
    func bind(_ values: [SQLiteValue], database: OpaquePointer) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard expected == values.count else {
            throw SQLiteError(code: SQLITE_RANGE, message: "statement takes \(expected) parameters, \(values.count) given", sql: sql)
        }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .integer(let i): rc = sqlite3_bind_int64(handle, index, i)
            case .real(let d): rc = sqlite3_bind_double(handle, index, d)
            case .text(let s):
                // Explicit length: text may contain NUL characters, which -1 would cut at.
                rc = sqlite3_bind_text(handle, index, s, Int32(s.utf8.count), sqliteTransient)
            case .blob(let b):
                rc = b.withUnsafeBytes { raw in
                    // A zero-length blob must still be a blob, not NULL: zeroblob(0) is.
                    raw.count == 0
                        ? sqlite3_bind_zeroblob(handle, index, 0)
                        : sqlite3_bind_blob(handle, index, raw.baseAddress, Int32(raw.count), sqliteTransient)
                }
            }
            guard rc == SQLITE_OK else { throw SQLiteDatabase.error(rc, database, sql) }
        }
    }

    /// The current row's column `index` as a value.
    func column(_ index: Int32) -> SQLiteValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, index))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(handle, index))
            guard let p = sqlite3_column_text(handle, index) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, index))
            guard count > 0, let p = sqlite3_column_blob(handle, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: p, count: count)))
        default: return .null
        }
    }

    func currentRow() -> SQLiteRow {
        let n = sqlite3_column_count(handle)
        var values: [SQLiteValue] = []
        values.reserveCapacity(Int(n))
        for i in 0..<n { values.append(column(i)) }
        return SQLiteRow(columns: columnNames, values: values)
    }
}

/// Tells SQLite to copy bound text and blobs, since Swift owns their storage only for the call.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
