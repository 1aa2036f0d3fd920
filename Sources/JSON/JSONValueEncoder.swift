/// Encodes any `Encodable` value straight into a `JSON` tree, without going
/// through text.
///
/// This is the bridge between typed Swift values and the wire: step results,
/// event payloads and function outputs are encoded with it. Integers keep their
/// exact decimal text, `Double` uses Swift's shortest round-trip form, and a
/// `JSON` value inside a model is inserted as-is.
public struct JSONValueEncoder: Sendable {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> JSON {
        if let json = value as? JSON { return json }
        let root = JSONEncodingNode()
        let encoder = JSONTreeEncoder(node: root, codingPath: [])
        try value.encode(to: encoder)
        return root.finish()
    }
}

extension JSON {
    /// The JSON form of any `Encodable` value.
    public init<T: Encodable>(encoding value: T) throws {
        self = try JSONValueEncoder().encode(value)
    }
}

/// A mutable node of the tree under construction. Containers hand out child
/// nodes and fill them later, which is what the `Encoder` protocol requires.
final class JSONEncodingNode {
    enum Content {
        case empty
        case value(JSON)
        case object([(String, JSONEncodingNode)])
        case array([JSONEncodingNode])
    }
    var content: Content = .empty

    func finish() -> JSON {
        switch content {
        case .empty: return .object(JSONObject())
        case .value(let v): return v
        case .object(let entries):
            return .object(JSONObject(entries.map { (key: $0.0, value: $0.1.finish()) }))
        case .array(let nodes): return .array(nodes.map { $0.finish() })
        }
    }

    func makeObject() {
        if case .object = content { return }
        content = .object([])
    }

    func makeArray() {
        if case .array = content { return }
        content = .array([])
    }

    func child(forKey key: String) -> JSONEncodingNode {
        makeObject()
        guard case .object(var entries) = content else { fatalError("unreachable") }
        if let existing = entries.first(where: { $0.0 == key }) { return existing.1 }
        let node = JSONEncodingNode()
        content = .empty  // drop the reference so the append does not copy
        entries.append((key, node))
        content = .object(entries)
        return node
    }

    func appendChild() -> JSONEncodingNode {
        makeArray()
        guard case .array(var nodes) = content else { fatalError("unreachable") }
        let node = JSONEncodingNode()
        content = .empty
        nodes.append(node)
        content = .array(nodes)
        return node
    }

    var arrayCount: Int { if case .array(let n) = content { return n.count } else { return 0 } }
}

struct JSONTreeEncoder: Encoder {
    let node: JSONEncodingNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(JSONKeyedEncoding<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return JSONUnkeyedEncoding(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONSingleValueEncoding(node: node, codingPath: codingPath)
    }
}

/// Turns one primitive or nested value into JSON; shared by all containers.
enum JSONPrimitive {
    static func encode<T: Encodable>(_ value: T, into node: JSONEncodingNode, codingPath: [any CodingKey]) throws {
        switch value {
        case let v as JSON: node.content = .value(v)
        case let v as String: node.content = .value(.string(v))
        case let v as Bool: node.content = .value(.bool(v))
        case let v as Int: node.content = .value(.number(JSONNumber(v)))
        case let v as Double: node.content = .value(try number(v, codingPath))
        case let v as Float: node.content = .value(try number(v, codingPath))
        case let v as Int64: node.content = .value(.number(JSONNumber(v)))
        case let v as UInt64: node.content = .value(.number(JSONNumber(v)))
        case let v as Int8: node.content = .value(.number(JSONNumber(Int(v))))
        case let v as Int16: node.content = .value(.number(JSONNumber(Int(v))))
        case let v as Int32: node.content = .value(.number(JSONNumber(Int(v))))
        case let v as UInt: node.content = .value(.number(JSONNumber(UInt64(v))))
        case let v as UInt8: node.content = .value(.number(JSONNumber(Int(v))))
        case let v as UInt16: node.content = .value(.number(JSONNumber(Int(v))))
        case let v as UInt32: node.content = .value(.number(JSONNumber(Int(v))))
        default:
            try value.encode(to: JSONTreeEncoder(node: node, codingPath: codingPath))
        }
    }

    static func number(_ v: Double, _ codingPath: [any CodingKey]) throws -> JSON {
        guard v.isFinite else {
            throw EncodingError.invalidValue(v, .init(codingPath: codingPath, debugDescription: "\(v) has no JSON form"))
        }
        return .number(JSONNumber(v))
    }

    static func number(_ v: Float, _ codingPath: [any CodingKey]) throws -> JSON {
        guard v.isFinite else {
            throw EncodingError.invalidValue(v, .init(codingPath: codingPath, debugDescription: "\(v) has no JSON form"))
        }
        if v == v.rounded(.towardZero), abs(v) < 1e7 { return .number(JSONNumber(Int(v))) }
        return .number(JSONNumber(validLiteral: "\(v)"))
    }
}

struct JSONKeyedEncoding<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: JSONEncodingNode
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { node.child(forKey: key.stringValue).content = .value(.null) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try JSONPrimitive.encode(value, into: node.child(forKey: key.stringValue), codingPath: codingPath + [key])
    }

    // Optionals that are nil are left out, as Foundation's encoder does.
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = node.child(forKey: key.stringValue)
        child.makeObject()
        return KeyedEncodingContainer(JSONKeyedEncoding<NestedKey>(node: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = node.child(forKey: key.stringValue)
        child.makeArray()
        return JSONUnkeyedEncoding(node: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        JSONTreeEncoder(node: node.child(forKey: "super"), codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        JSONTreeEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key])
    }
}

struct JSONUnkeyedEncoding: UnkeyedEncodingContainer {
    let node: JSONEncodingNode
    let codingPath: [any CodingKey]
    var count: Int { node.arrayCount }

    mutating func encodeNil() throws { node.appendChild().content = .value(.null) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try JSONPrimitive.encode(value, into: node.appendChild(), codingPath: codingPath + [JSONIndexKey(count)])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = node.appendChild()
        child.makeObject()
        return KeyedEncodingContainer(JSONKeyedEncoding<NestedKey>(node: child, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = node.appendChild()
        child.makeArray()
        return JSONUnkeyedEncoding(node: child, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder { JSONTreeEncoder(node: node.appendChild(), codingPath: codingPath) }
}

struct JSONSingleValueEncoding: SingleValueEncodingContainer {
    let node: JSONEncodingNode
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.content = .value(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try JSONPrimitive.encode(value, into: node, codingPath: codingPath)
    }
}

/// A coding key for array positions, used only in error paths.
struct JSONIndexKey: CodingKey {
    let intValue: Int?
    let stringValue: String
    init(_ index: Int) { intValue = index; stringValue = "Index \(index)" }
    init?(intValue: Int) { self.init(intValue) }
    init?(stringValue: String) { return nil }
}
