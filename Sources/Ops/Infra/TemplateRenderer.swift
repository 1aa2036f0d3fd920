/// Fills `{{NAME}}` placeholders in infra templates.
///
/// Deliberately tiny: names are `[A-Z][A-Z0-9_]*`, there is no logic, and any
/// placeholder without a value is an error naming the line, so a typo can
/// never install a file with a hole in it. `escape` adapts each value to the
/// file's syntax (XML for plists, double-quoted YAML for compose/k8s).
public struct TemplateRenderer: Sendable {
    public var values: [String: String]
    public var escape: @Sendable (String) -> String

    public init(values: [String: String], escape: @escaping @Sendable (String) -> String = { $0 }) {
        self.values = values
        self.escape = escape
    }

    public func render(_ template: String, name: String) throws -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                throw TemplateError(file: name, line: line(of: open.lowerBound, in: template), message: "unclosed '{{'")
            }
            let key = String(rest[open.upperBound..<close.lowerBound])
            guard Self.isPlaceholderName(key) else {
                throw TemplateError(file: name, line: line(of: open.lowerBound, in: template), message: "'{{\(key)}}' is not a placeholder (names are A-Z, 0-9, _)")
            }
            guard let value = values[key] else {
                throw TemplateError(file: name, line: line(of: open.lowerBound, in: template), message: "unknown placeholder {{\(key)}}")
            }
            out += escape(value)
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// The placeholder names a template uses, in order of first use.
    public static func placeholders(in template: String) -> [String] {
        var names: [String] = []
        var rest = Substring(template)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            let key = String(rest[open.upperBound..<close.lowerBound])
            if isPlaceholderName(key), !names.contains(key) { names.append(key) }
            rest = rest[close.upperBound...]
        }
        return names
    }

    static func isPlaceholderName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first >= "A" && first <= "Z" else { return false }
        return s.unicodeScalars.allSatisfy { ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "_" }
    }

    func line(of index: String.Index, in text: String) -> Int {
        text[..<index].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
    }

    /// XML text escaping for values inside plist `<string>` elements.
    public static let xml: @Sendable (String) -> String = { value in
        value.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Escaping for values inside double-quoted YAML scalars.
    public static let yamlDoubleQuoted: @Sendable (String) -> String = { value in
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}

/// A template that cannot be rendered, with the file and line.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String
    public var description: String { "\(file):\(line): \(message)" }
}
