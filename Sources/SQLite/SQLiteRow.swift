/// One result row, materialised so it outlives the statement that produced it.
public struct SQLiteRow: Sendable, Equatable {
    public let columns: [String]
    public let values: [SQLiteValue]

    public init(columns: [String], values: [SQLiteValue]) {
        self.columns = columns
        self.values = values
    }

    public var count: Int { values.count }

    /// The value at `index`; `.null` when out of range.
    public subscript(index: Int) -> SQLiteValue {
        values.indices.contains(index) ? values[index] : .null
    }

    /// The value of the column named `name`; `.null` when absent.
    public subscript(name: String) -> SQLiteValue {
        guard let i = columns.firstIndex(of: name) else { return .null }
        return values[i]
    }

    public func int64(_ index: Int) -> Int64? { self[index].int64 }
    public func int(_ index: Int) -> Int? { self[index].int }
    public func double(_ index: Int) -> Double? { self[index].double }
    public func string(_ index: Int) -> String? { self[index].string }
    public func blob(_ index: Int) -> [UInt8]? { self[index].bytes }

    public func int64(_ name: String) -> Int64? { self[name].int64 }
    public func int(_ name: String) -> Int? { self[name].int }
    public func double(_ name: String) -> Double? { self[name].double }
    public func string(_ name: String) -> String? { self[name].string }
    public func blob(_ name: String) -> [UInt8]? { self[name].bytes }
}
