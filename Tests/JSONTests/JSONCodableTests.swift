import Testing
@testable import JSON

@Suite struct JSONCodableTests {
    struct Person: Codable, Equatable {
        var name: String
        var age: Int
        var score: Double
        var tags: [String]
        var nickname: String?
        var extra: JSON
        var nested: Nested
        struct Nested: Codable, Equatable { var flag: Bool; var big: UInt64 }
    }

    enum Colour: String, Codable { case red, green }

    @Test func roundTripsAModel() throws {
        let p = Person(name: "Ada", age: 36, score: 0.1, tags: ["a", "b"], nickname: nil,
                       extra: ["keep": 1.50, "order": [3, 2, 1]], nested: .init(flag: true, big: 18446744073709551615))
        let json = try JSON(encoding: p)
        #expect(json.serialized() == #"{"name":"Ada","age":36,"score":0.1,"tags":["a","b"],"extra":{"keep":1.5,"order":[3,2,1]},"nested":{"flag":true,"big":18446744073709551615}}"#)
        #expect(try json.decode(Person.self) == p)
    }

    @Test func keepsEmbeddedJSONExactly() throws {
        let raw = try JSON(parsing: #"{"keep":1.50,"z":1,"a":2}"#)
        struct Box: Codable { var value: JSON }
        let encoded = try JSON(encoding: Box(value: raw))
        #expect(encoded.serialized() == #"{"value":{"keep":1.50,"z":1,"a":2}}"#)
        #expect(try encoded.decode(Box.self).value == raw)
    }

    @Test func primitivesAndOptionals() throws {
        #expect(try JSON(encoding: "x") == "x")
        #expect(try JSON(encoding: 42) == 42)
        #expect(try JSON(encoding: Optional<Int>.none) == nil)
        #expect(try JSON(encoding: Colour.green) == "green")
        #expect(try JSON.null.decode(Int?.self) == nil)
        #expect(try JSON("red").decode(Colour.self) == .red)
        #expect(try JSON(parsing: "1.0").decode(Int.self) == 1)
        #expect(try JSON(parsing: "[1,2]").decode([Int].self) == [1, 2])
        #expect(try JSON(parsing: #"{"a":1}"#).decode([String: Int].self) == ["a": 1])
    }

    @Test func missingOptionalKeyDecodesAsNil() throws {
        struct S: Codable { var a: Int; var b: String? }
        let s = try JSON(parsing: #"{"a":1}"#).decode(S.self)
        #expect(s.a == 1 && s.b == nil)
    }

    @Test func typeErrorsAreDecodingErrors() {
        #expect(throws: DecodingError.self) { try JSON("x").decode(Int.self) }
        #expect(throws: DecodingError.self) { try JSON(parsing: "1.5").decode(Int.self) }
        #expect(throws: DecodingError.self) { try JSON(parsing: "300").decode(UInt8.self) }
        #expect(throws: DecodingError.self) { try JSON(parsing: "{}").decode(Person.self) }
    }

    @Test func nonFiniteDoublesCannotBeEncoded() {
        #expect(throws: EncodingError.self) { try JSON(encoding: Double.nan) }
    }
}
