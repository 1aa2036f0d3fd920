/// A JSON object that keeps its keys in document order.
///
/// Lookups scan from the end, so when a document repeats a key the last
/// occurrence wins (as in JavaScript) while serialisation still reproduces
/// every entry exactly.
public struct JSONObject: Sendable, Hashable, Sequence {
    public typealias Element = (key: String, value: JSON)

    public private(set) var entries: [Element]

    public init() { entries = [] }
    public init(_ entries: [Element]) { self.entries = entries }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public var keys: [String] { entries.map(\.key) }

    public func makeIterator() -> IndexingIterator<[Element]> { entries.makeIterator() }

    /// Reading returns the last value stored under `key`; writing replaces it
    /// in place (keeping its position) or appends; writing `nil` removes every
    /// entry with that key.
    public subscript(key: String) -> JSON? {
        get {
            var i = entries.count - 1
            while i >= 0 {
                if entries[i].key == key { return entries[i].value }
                i -= 1
            }
            return nil
        }
        set {
            guard let newValue else {
                entries.removeAll { $0.key == key }
                return
            }
            if let i = entries.lastIndex(where: { $0.key == key }) {
                entries[i].value = newValue
            } else {
                entries.append((key: key, value: newValue))
            }
        }
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.entries.count == rhs.entries.count
            && zip(lhs.entries, rhs.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries.count)
        for e in entries {
            hasher.combine(e.key)
            hasher.combine(e.value)
        }
    }
}
