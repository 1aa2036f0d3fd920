import JSON

/// Typed reads from one object of the settings file, with errors that name the
/// full key path and the expected type.
struct SettingsReader {
    let object: JSONObject
    let path: String

    init(_ object: JSONObject, path: String) {
        self.object = object
        self.path = path
    }

    private func name(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    private func value(_ key: String) -> JSON? {
        guard let v = object[key], !v.isNull else { return nil }
        return v
    }

    func rejectUnknown(_ known: Set<String>) throws {
        for key in object.keys where !known.contains(key) {
            throw ConfigError("unknown setting \(name(key)) (known: \(known.sorted().joined(separator: ", ")))")
        }
    }

    func object(_ key: String) throws -> SettingsReader {
        guard let v = value(key) else { return SettingsReader(JSONObject(), path: name(key)) }
        guard case .object(let o) = v else { throw ConfigError("\(name(key)) must be an object") }
        return SettingsReader(o, path: name(key))
    }

    func string(_ key: String) throws -> String? {
        guard let v = value(key) else { return nil }
        guard case .string(let s) = v, !s.isEmpty else { throw ConfigError("\(name(key)) must be a non-empty string") }
        return s
    }

    func path(_ key: String, _ xdg: XDGPaths) throws -> String? {
        guard let s = try string(key) else { return nil }
        let expanded = xdg.expand(s)
        guard expanded.hasPrefix("/") else { throw ConfigError("\(name(key)) must be an absolute path or start with ~/, got \(s)") }
        return expanded
    }

    func int(_ key: String) throws -> Int? {
        guard let v = value(key) else { return nil }
        guard let i = v.intValue, i >= 0 else { throw ConfigError("\(name(key)) must be a non-negative integer") }
        return i
    }

    func double(_ key: String) throws -> Double? {
        guard let v = value(key) else { return nil }
        guard let d = v.doubleValue, d > 0 else { throw ConfigError("\(name(key)) must be a positive number") }
        return d
    }

    func strings(_ key: String) throws -> [String]? {
        guard let v = value(key) else { return nil }
        guard let a = v.arrayValue else { throw ConfigError("\(name(key)) must be an array of strings") }
        return try a.map {
            guard let s = $0.stringValue else { throw ConfigError("\(name(key)) must be an array of strings") }
            return s
        }
    }

    /// A command is an argv prefix: a non-empty array of strings, or one string without spaces.
    func command(_ key: String) throws -> [String]? {
        guard let v = value(key) else { return nil }
        if case .string(let s) = v, !s.isEmpty { return [s] }
        guard let argv = try strings(key), !argv.isEmpty, !argv[0].isEmpty else {
            throw ConfigError("\(name(key)) must be a non-empty array of strings (argv prefix)")
        }
        return argv
    }

    func directories(_ key: String, _ xdg: XDGPaths) throws -> [ContentDirectory]? {
        guard let v = value(key) else { return nil }
        guard let a = v.arrayValue else { throw ConfigError("\(name(key)) must be an array") }
        return try a.enumerated().map { index, item in
            guard case .object(let o) = item else { throw ConfigError("\(name(key))[\(index)] must be an object") }
            let r = SettingsReader(o, path: "\(name(key))[\(index)]")
            try r.rejectUnknown(["name", "source", "destination", "skipFiles"])
            guard let n = try r.string("name"), let source = try r.path("source", xdg),
                  let destination = try r.string("destination") else {
                throw ConfigError("\(name(key))[\(index)] needs name, source and destination")
            }
            guard !destination.hasPrefix("/"), !destination.split(separator: "/").contains("..") else {
                throw ConfigError("\(name(key))[\(index)].destination must be relative to the repository, got \(destination)")
            }
            return ContentDirectory(name: n, source: source, destination: destination,
                                    skipFiles: (try r.strings("skipFiles") ?? []).map { $0.lowercased() })
        }
    }

    func httpServices(_ key: String) throws -> [HTTPServiceCheck]? {
        guard let v = value(key) else { return nil }
        guard let a = v.arrayValue else { throw ConfigError("\(name(key)) must be an array") }
        return try a.enumerated().map { index, item in
            guard case .object(let o) = item else { throw ConfigError("\(name(key))[\(index)] must be an object") }
            let r = SettingsReader(o, path: "\(name(key))[\(index)]")
            try r.rejectUnknown(["name", "url"])
            guard let n = try r.string("name"), let url = try r.string("url") else {
                throw ConfigError("\(name(key))[\(index)] needs name and url")
            }
            return HTTPServiceCheck(name: n, url: url)
        }
    }
}
