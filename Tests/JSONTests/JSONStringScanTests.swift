import Testing
@testable import JSON

/// The string reader skips plain bytes eight at a time; these put every kind
/// of special byte at every offset around a word boundary.
@Suite struct JSONStringScanTests {
    @Test(arguments: 0..<18)
    func specialBytesAtEveryOffset(_ offset: Int) throws {
        let prefix = String(repeating: "a", count: offset)
        let suffix = String(repeating: "é", count: 5)
        #expect(try JSON(parsing: "\"\(prefix)\"") == .string(prefix))
        #expect(try JSON(parsing: "\"\(prefix)\\\"\(suffix)\"") == .string(prefix + "\"" + suffix))
        #expect(try JSON(parsing: "\"\(prefix)\\\\\(suffix)\"") == .string(prefix + "\\" + suffix))
        #expect(try JSON(parsing: "\"\(prefix)\\n\(suffix)\"") == .string(prefix + "\n" + suffix))
        #expect(throws: JSONParseError.self) { try JSON(parsing: "\"\(prefix)\u{01}\(suffix)\"") }
        #expect(throws: JSONParseError.self) { try JSON(parsing: "\"\(prefix)\t\"") }
        #expect(throws: JSONParseError.self) { try JSON(parsing: "\"\(prefix)") }
    }

    @Test func highBytesAreNotSpecial() throws {
        let text = String(repeating: "ü€😀¢", count: 20)
        #expect(try JSON(parsing: "\"\(text)\"") == .string(text))
    }
}

@Suite struct JSONWriterEscapeTests {
    @Test func escapesOnlyWhatMustBeEscaped() {
        let s = "plain \"quoted\" back\\slash\n\t\r\u{08}\u{0C}\u{01}\u{1F} é😀/"
        #expect(JSON.string(s).serialized() == #""plain \"quoted\" back\\slash\n\t\r\b\f\u0001\u001f é😀/""#)
        #expect(JSON.string("").serialized() == #""""#)
        #expect(JSON.string("\"").serialized() == #""\"""#)
    }
}
