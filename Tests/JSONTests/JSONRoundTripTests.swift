import Testing
@testable import JSON

@Suite struct JSONRoundTripTests {
    @Test(arguments: [
        #"{"b":1,"a":[true,false,null],"c":{"x":"y"}}"#,
        #"[1.0,1e3,-0,12345678901234567890,0.1]"#,
        #""\u00e9\n\t\"\\""#,
        #"{"k":1,"k":2}"#,
    ])
    func roundTrips(_ text: String) throws {
        let value = try JSON(parsing: text)
        let again = try JSON(parsing: value.serialized())
        #expect(value == again)
    }

    @Test func keepsNumberLiteralsAndKeyOrder() throws {
        let text = #"{"z":1.50,"a":12345678901234567890}"#
        #expect(try JSON(parsing: text).serialized() == text)
    }

    @Test func lastDuplicateKeyWins() throws {
        #expect(try JSON(parsing: #"{"k":1,"k":2}"#)["k"] == 2)
    }

    @Test func decodesSurrogatePairs() throws {
        #expect(try JSON(parsing: #""\ud83d\ude00""#) == .string("😀"))
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "\"\u{01}\"", "tru", "[1] x", "\"\\x\""])
    func rejectsMalformed(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSON(parsing: text) }
    }

    @Test func rejectsExcessiveNesting() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONParseError.self) { try JSON(parsing: deep) }
    }
}
