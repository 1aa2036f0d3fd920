import Engine
import JSON
import Testing

@Suite("CEL subset expressions")
struct ExpressionTests {
    let event: JSON = ["name": "app/user.created", "data": ["id": "u1", "count": 3, "vip": true, "tags": ["a", "b"], "odd key": 1]]
    let async: JSON = ["name": "app/user.deleted", "data": ["id": "u1", "count": 3.0]]

    @Test(arguments: [
        ("event.data.id == 'u1'", true),
        ("event.data.id == \"u1\"", true),
        ("event.data.id != 'u1'", false),
        ("event.data.count > 2 && event.data.count <= 3", true),
        ("event.data.count < 3 || event.data.vip", true),
        ("!(event.data.count >= 4)", true),
        ("!event.data.vip", false),
        ("event.data.id == async.data.id", true),
        ("event.data.count == async.data.count", true),
        ("event.data.missing == null", true),
        ("event.data.missing.deeper == 'x'", false),
        ("event.data.tags[1] == 'b'", true),
        ("event.data[\"odd key\"] == 1", true),
        ("event.data.count > 'a'", false),
        ("'b' > 'a'", true),
        ("event.data.id + '-' + event.data.count == 'u1-3'", true),
        ("-1 < 0", true),
        ("(event.data.vip == true) && (async.name == 'app/user.deleted')", true),
        ("event.data.count == 1.5e0 * 0", false),
        ("(event.data.vip ? 'gold' : 'plain') == 'gold'", true),
        ("event.data.missing ? false : true", true),
        ("event.data.count > 5 ? false : event.data.id == 'u1' ? true : false", true),
    ])
    func evaluates(_ source: String, _ expected: Bool) throws {
        if source.contains("*") {
            #expect(throws: ExpressionError.self) { try Expression(source) }
            return
        }
        let expression = try Expression(source)
        #expect(expression.matches(event: event, async: async) == expected, "\(source)")
    }

    @Test func conditionalsGiveNumbersForPriorityFactors() throws {
        let factor = try Expression("event.data.plan == 'enterprise' ? 120 : event.data.plan == 'pro' ? 30 : 0")
        #expect(factor.evaluate(event: ["data": ["plan": "enterprise"]]) == 120)
        #expect(factor.evaluate(event: ["data": ["plan": "pro"]]) == 30)
        #expect(factor.evaluate(event: ["data": [:]]) == 0)
        #expect(throws: ExpressionError.self) { try Expression("event.data.vip ? 1") }
        #expect(throws: ExpressionError.self) { try Expression("event.data.vip ? : 2") }
    }

    @Test func evaluatesKeysToValues() throws {
        #expect(try Expression("event.data.id").evaluate(event: event) == "u1")
        #expect(try Expression("event.data.tags").evaluate(event: event) == ["a", "b"])
        #expect(try Expression("async.data.id").evaluate(event: event) == .null)
    }

    @Test(arguments: [
        ("", "expression is empty"),
        ("event.data.id ==", "expression ends where a value was expected"),
        ("user.id == 1", "unknown name 'user'"),
        ("event.data.id == 'abc", "unterminated string"),
        ("(event.data.id == 1", "expected ')'"),
        ("event.data.id = 1", "unexpected '= 1'"),
        ("1 < 2 < 3", "comparisons cannot be chained"),
        ("event.", "expected a field name after '.'"),
        ("event.data[x]", "expected a quoted key or an index"),
    ])
    func rejectsWithClearMessage(_ source: String, _ fragment: String) {
        let error = #expect(throws: ExpressionError.self) { try Expression(source) }
        #expect(error?.description.contains(fragment) == true, "\(String(describing: error))")
    }

    /// Deep nesting once overflowed the stack (recursive descent without a
    /// bound), and a long flat chain built a tree too deep to evaluate.
    @Test(arguments: [
        (String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000), "nested more than 64 deep"),
        (String(repeating: "!", count: 100_000) + "true", "nested more than 64 deep"),
        (String(repeating: "-", count: 100_000) + "event.x", "nested more than 64 deep"),
        (Array(repeating: "1", count: 100_000).joined(separator: "+"), "more than 1000 operands"),
    ])
    func boundsNestingAndSize(_ source: String, _ fragment: String) {
        let error = #expect(throws: ExpressionError.self) { try Expression(source) }
        #expect(error?.description.contains(fragment) == true)
    }

    @Test func acceptsExpressionsUpToTheBounds() throws {
        let nested = String(repeating: "(", count: 63) + "1" + String(repeating: ")", count: 63)
        #expect(try Expression(nested).evaluate(event: [:]) == 1)
        let long = Array(repeating: "event.data.n", count: 1_000).joined(separator: " + ")
        #expect(try Expression(long).evaluate(event: ["data": ["n": 1]]).doubleValue == 1000)
    }

    @Test func reportsReferencedRoots() throws {
        #expect(try Expression("event.a == async.b").referencedRoots == ["event", "async"])
        #expect(try Expression("true").referencedRoots == [])
    }
}
