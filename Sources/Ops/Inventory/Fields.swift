import JSON

/// A JSON object being decoded, with typed accessors that throw
/// `InventoryError`s naming the full path of the field.
struct Fields {
    let object: JSONObject
    let path: String

    init(_ value: JSON, path: String, allowed: Set<String>) throws {
        guard let o = value.objectValue else {
            throw InventoryError(path: path, "expected an object, got \(Fields.kind(of: value))")
        }
        for key in o.keys where !allowed.contains(key) {
            throw InventoryError(path: Fields.join(path, key), "unknown key; expected one of \(allowed.filter { $0 != "$comment" }.sorted().joined(separator: ", "))")
        }
        self.object = o
        self.path = path
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    static func kind(of value: JSON) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number(let n): return "the number \(n)"
        case .string(let s): return "the string \"\(s)\""
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    func has(_ key: String) -> Bool { object[key] != nil }

    func value(_ key: String) throws -> JSON {
        guard let v = object[key] else { throw InventoryError(path: Fields.join(path, key), "missing") }
        return v
    }

    func string(_ key: String) throws -> String {
        let v = try value(key)
        guard let s = v.stringValue, !s.isEmpty else {
            throw InventoryError(path: Fields.join(path, key), "expected a non-empty string, got \(Fields.kind(of: v))")
        }
        return s
    }

    func optionalString(_ key: String) throws -> String? { has(key) ? try string(key) : nil }

    /// A name used in output and on command lines: letters, digits, `-_.`.
    func name(_ key: String) throws -> String {
        let s = try string(key)
        let ok = s.unicodeScalars.allSatisfy { c in
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "-" || c == "_" || c == "."
        }
        guard ok else { throw InventoryError(path: Fields.join(path, key), "\"\(s)\" may contain only letters, digits, '-', '_' and '.'") }
        return s
    }

    func int(_ key: String) throws -> Int {
        let v = try value(key)
        guard let n = v.numberValue, let i = Int(n.text) else {
            throw InventoryError(path: Fields.join(path, key), "expected an integer, got \(Fields.kind(of: v))")
        }
        return i
    }

    func optionalDouble(_ key: String) throws -> Double? {
        guard has(key) else { return nil }
        let v = try value(key)
        guard let d = v.doubleValue else {
            throw InventoryError(path: Fields.join(path, key), "expected a number, got \(Fields.kind(of: v))")
        }
        return d
    }

    func optionalBool(_ key: String) throws -> Bool? {
        guard has(key) else { return nil }
        let v = try value(key)
        guard let b = v.boolValue else {
            throw InventoryError(path: Fields.join(path, key), "expected true or false, got \(Fields.kind(of: v))")
        }
        return b
    }

    func array(_ key: String) throws -> [JSON] {
        let v = try value(key)
        guard let a = v.arrayValue else {
            throw InventoryError(path: Fields.join(path, key), "expected an array, got \(Fields.kind(of: v))")
        }
        return a
    }

    func optionalArray(_ key: String) throws -> [JSON]? { has(key) ? try array(key) : nil }

    static func port(_ v: JSON, path: String) throws -> Int {
        guard let n = v.numberValue, let i = Int(n.text), (1...65535).contains(i) else {
            throw InventoryError(path: path, "expected an integer port in 1...65535, got \(kind(of: v))")
        }
        return i
    }
}
