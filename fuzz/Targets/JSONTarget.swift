import JSON

// `json`: the parser, the writer and RFC 8785 canonicalisation.
//
// Invariants for every input that parses: the written form parses back to a
// value with the same canonical form; canonicalising is idempotent; the
// canonical bytes are valid UTF-8.
func fuzzJSON(_ bytes: [UInt8]) {
    guard let value = try? JSON(parsing: bytes) else { return }
    let canonical = value.canonicalBytes()
    guard String(validating: canonical, as: UTF8.self) != nil else { fatalError("canonical form is not UTF-8") }
    guard let reparsedCanonical = try? JSON(parsing: canonical) else {
        fatalError("canonical form does not parse: \(String(decoding: canonical, as: UTF8.self))")
    }
    guard reparsedCanonical.canonicalBytes() == canonical else { fatalError("canonicalisation is not idempotent") }
    let written = value.serializedBytes()
    guard let reparsed = try? JSON(parsing: written) else {
        fatalError("written form does not parse: \(String(decoding: written, as: UTF8.self))")
    }
    guard reparsed.canonicalBytes() == canonical else { fatalError("written form changes the value") }
}
