/// A failure reported by SQLite, carrying its own explanation.
///
/// `code` is the extended result code (e.g. 2067 for a UNIQUE constraint),
/// `message` is `sqlite3_errmsg` at the time of failure, and `sql` is the
/// statement involved, so a log line alone is enough to find the cause.
public struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: Int32
    public let message: String
    public let sql: String?

    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// The primary result code (the low byte), e.g. `SQLITE_CONSTRAINT` = 19.
    public var primaryCode: Int32 { code & 0xFF }

    /// True for UNIQUE / PRIMARY KEY violations.
    public var isUniqueViolation: Bool { code == 2067 || code == 1555 }

    public var description: String {
        if let sql { return "SQLite error \(code): \(message) (in: \(sql))" }
        return "SQLite error \(code): \(message)"
    }
}
