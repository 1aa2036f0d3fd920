import Testing
import JSON
@testable import InngestProtocol

/// Published vectors for hashed keys and request signatures (docs/serve-protocol.md, "Keys and signatures").
@Suite struct SignatureVectorTests {
    static let t: Int64 = 1705586504
    static let testKey = try! SigningKey(parsing: "signkey-test-12345678")

    static let firstCallBody = #"{"ctx":{"attempt":0,"disable_immediate_execution":false,"env":"","fn_id":"8f7b2a1e-0000-4000-8000-000000000001","max_attempts":4,"qi_id":"","run_id":"01HZXJ4K8Y8N3S7D2G5Q6R9T0V","stack":{"current":0,"stack":[]},"step_id":"step","use_api":false},"defers":{},"event":{"data":{"user_id":"u_123"},"id":"01HZXJ4K7W6M2R1C0B9A8Z7Y6X","name":"app/user.created","ts":1717171717171,"user":{}},"events":[{"data":{"user_id":"u_123"},"id":"01HZXJ4K7W6M2R1C0B9A8Z7Y6X","name":"app/user.created","ts":1717171717171,"user":{}}],"steps":{},"use_api":false,"version":-1}"#
    static let memoisedCallBody = #"{"ctx":{"attempt":0,"disable_immediate_execution":false,"env":"","fn_id":"8f7b2a1e-0000-4000-8000-000000000001","max_attempts":4,"qi_id":"","run_id":"01HZXJ4K8Y8N3S7D2G5Q6R9T0V","stack":{"current":2,"stack":["98bf98df193bcce7c33e6bc50927cf2ac21206cb","c3ca5f787365eae0dea86250e27d476406956478"]},"step_id":"step","use_api":false},"defers":{},"event":{"data":{"steps":{"ok":"yes"}},"id":"01HZXJ4K7W6M2R1C0B9A8Z7Y6X","name":"tests/step.test","ts":1717171717171,"user":{"email":"test@example.com"}},"events":[{"data":{"steps":{"ok":"yes"}},"id":"01HZXJ4K7W6M2R1C0B9A8Z7Y6X","name":"tests/step.test","ts":1717171717171,"user":{"email":"test@example.com"}}],"steps":{"98bf98df193bcce7c33e6bc50927cf2ac21206cb":{"data":"first step"},"c3ca5f787365eae0dea86250e27d476406956478":null},"use_api":false,"version":2}"#

    // MARK: Bearer tokens (D1)

    @Test(arguments: [
        ("signkey-prod-12345678", "signkey-prod-b2ed992186a5cb19f6668aade821f502c1d00970dfd0e35128d51bac4649916c"),
        ("signkey-test-12345678", "signkey-test-b2ed992186a5cb19f6668aade821f502c1d00970dfd0e35128d51bac4649916c"),
        ("12345678", "b2ed992186a5cb19f6668aade821f502c1d00970dfd0e35128d51bac4649916c"),
        ("signkey-prod-568c4116828e6e8384a554153722df93022e5cd29a6c2d1b0444a19a807ff315",
         "signkey-prod-2e64ca0edc850db32ff684f967822c828f99cf57862e43205fdcf2eff8d95180"),
        ("signkey-test-" + String(repeating: "0", count: 64),
         "signkey-test-66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925"),
        ("signkey-test-" + String(repeating: "1", count: 64),
         "signkey-test-02d449a31fbb267c8f352e9968a79e3e5fc95c1bbeaa502fd6454ebde5a4bedc"),
        ("signkey-branch-deadbeef", "signkey-branch-5f78c33274e43fa9de5659265c1d917e25c03722dcb0b8d27db8d5feaa813953"),
        ("7468697320697320612074657374206b6579", "ed30c63423735b44011c49a38c01a8062833420cfb299072e0263c986242556a"),
    ])
    func bearerToken(_ key: String, _ expected: String) throws {
        #expect(try SigningKey(parsing: key).bearerToken == expected)
    }

    @Test(arguments: ["signkey-prod-xyz", "signkey-prod-123", "not hex", ""])
    func nonHexKeysAreConfigurationErrors(_ key: String) {
        #expect(throws: InngestConfigurationError.self) { try SigningKey(parsing: key) }
    }

    // MARK: Signatures (C2, C3)

    @Test(arguments: [
        ("signkey-test-12345678", #"{"msg":"hi"}"#, "2dfba4afcc7e8eeef557b25558f9abb1a4a21251b0b1fe7b04402310c8e6943e"),
        ("signkey-prod-12345678", #"{"msg":"hi"}"#, "2dfba4afcc7e8eeef557b25558f9abb1a4a21251b0b1fe7b04402310c8e6943e"),
        ("12345678", #"{"msg":"hi"}"#, "2dfba4afcc7e8eeef557b25558f9abb1a4a21251b0b1fe7b04402310c8e6943e"),
        ("signkey-test-12345678", "", "5382b6f2675f33d0dee56e929fc1d170032d3270c297d33e1ce16b4dc1227cf3"),
        ("signkey-prod-000000", #"{"msg":"a & b"}"#, "ba11d91d3202513266882a1e3c9a27359bd4b2abdd51b0d4c41d4e277696d052"),
        ("signkey-prod-000000", #"{"msg":"a \u0026 b"}"#, "de57962efb224438ff3e98ea506f2312cfdbe474912c209fa08578ec89f9cb76"),
        ("signkey-test-12345678", Self.firstCallBody, "07cb93ff362672aca1abcc6e11594fe8c43a7f00e45870d502870c36308ef6b5"),
        ("signkey-test-12345678", Self.memoisedCallBody, "6aae0f6126d3d32a04126c7554a49d62ab18309618283bf80b60983ec1d6a464"),
        ("signkey-test-12345678", #"{"url":"http://localhost:3000/api/inngest"}"#, "869213bdf3c90b67e8b6aef0f5261a16be041b73c1190bcf4e37096823764640"),
        ("signkey-test-12345678", #"{"app_id":"my-app"}"#, "a95c01c08e0e9ba6dd72cd112dd7005782393ccfebf30f5fb9a30f3101b6b672"),
        ("7468697320697320612074657374206b6579", #"{"url":"http://127.0.0.1:51234"}"#, "753127d04f122a122e75361336a5bb1cdfe12aaa934fa74b9e99c06ed7ef0d5f"),
    ])
    func signsRawBytes(_ key: String, _ body: String, _ mac: String) throws {
        let header = RequestSignature.sign(body: Array(body.utf8), key: try SigningKey(parsing: key), timestamp: Self.t)
        #expect(header == "t=\(Self.t)&s=\(mac)")
        let verified = RequestSignature.verify(header: header, body: Array(body.utf8), keys: [try SigningKey(parsing: key)], now: Self.t)
        #expect((try? verified.get()) != nil)
    }

    @Test func emptyBodyKeysVectorV_S8() throws {
        let zeros = try SigningKey(parsing: "signkey-test-" + String(repeating: "0", count: 64))
        let ones = try SigningKey(parsing: "signkey-test-" + String(repeating: "1", count: 64))
        #expect(RequestSignature.sign(body: [], key: zeros, timestamp: 1700000000)
                == "t=1700000000&s=fcba658be4b28f50f9cadb890d90331f30358c83e815fb5430bec7b5edd5ec84")
        #expect(RequestSignature.sign(body: [], key: ones, timestamp: 1700000000)
                == "t=1700000000&s=182fd06f2210a9b2badb5dad2e2637c7f857df19773994a98ac287d0922866c3")
    }

    @Test func acceptsTheCanonicalSignatureOfAnHTMLEscapedBody() throws {
        // V-S3b: signed over "a & b", delivered as "a \u0026 b".
        let key = try SigningKey(parsing: "signkey-prod-000000")
        let header = "t=\(Self.t)&s=ba11d91d3202513266882a1e3c9a27359bd4b2abdd51b0d4c41d4e277696d052"
        let result = RequestSignature.verify(header: header, body: Array(#"{"msg":"a \u0026 b"}"#.utf8), keys: [key], now: Self.t)
        #expect(try result.get() == key)
    }

    @Test func acceptsTheServersSyncPingSignature() throws {
        // V-S7a: Go-marshalled body with \u0026, signed over its JCS form.
        let body = Array(#"{"url":"http://localhost:3000/api/inngest?a=1\u0026b=2"}"#.utf8)
        let header = "t=\(Self.t)&s=a46d6f75a0c036d9838c6647d41098377437a60067e3a280643afb16be45626d"
        #expect((try? RequestSignature.verify(header: header, body: body, keys: [Self.testKey], now: Self.t).get()) != nil)
    }

    @Test func acceptsTheCanonicalSignatureOfANonCanonicalBody() {
        // V-S4: spaces after ':' — the SDKs sign the canonical form.
        let body = Array(#"{"msg": "hey!  if you're reading this come work with us: careers@inngest.com"}"#.utf8)
        let header = "t=\(Self.t)&s=96b8833e13208af009d6e60aa7ea416044f94c1e2018dfdb3fbd4756d78698e5"
        #expect((try? RequestSignature.verify(header: header, body: body, keys: [Self.testKey], now: Self.t).get()) != nil)
        let raw = "t=\(Self.t)&s=56d85effc7a66ea8d1d3aa452354f1e0d80b2f36e5b91884b7061bf224aa2236"
        #expect((try? RequestSignature.verify(header: raw, body: body, keys: [Self.testKey], now: Self.t).get()) != nil)
    }

    // MARK: Negative cases

    static let body = Array(#"{"msg":"hi"}"#.utf8)
    static let good = "t=1705586504&s=2dfba4afcc7e8eeef557b25558f9abb1a4a21251b0b1fe7b04402310c8e6943e"

    @Test func reversedOrderParses() {
        let header = "s=2dfba4afcc7e8eeef557b25558f9abb1a4a21251b0b1fe7b04402310c8e6943e&t=1705586504"
        #expect((try? RequestSignature.verify(header: header, body: Self.body, keys: [Self.testKey], now: Self.t).get()) != nil)
    }

    @Test(arguments: [
        (nil as String?, RequestSignature.Failure.missing),
        ("", .missing),
        ("lol", .malformed),
        ("t=what&s=yea", .malformed),
        ("t=1705586504&s=00", .mismatch),
    ])
    func rejects(_ header: String?, _ failure: RequestSignature.Failure) {
        #expect(RequestSignature.verify(header: header, body: Self.body, keys: [Self.testKey], now: Self.t) == .failure(failure))
    }

    @Test func rejectsTamperedBody() {
        #expect(RequestSignature.verify(header: Self.good, body: Array(#"{"msg":"ho"}"#.utf8), keys: [Self.testKey], now: Self.t)
                == .failure(.mismatch))
    }

    @Test func windowIsFiveMinutesBothWays() {
        #expect((try? RequestSignature.verify(header: Self.good, body: Self.body, keys: [Self.testKey], now: Self.t + 300).get()) != nil)
        #expect((try? RequestSignature.verify(header: Self.good, body: Self.body, keys: [Self.testKey], now: Self.t - 300).get()) != nil)
        #expect(RequestSignature.verify(header: Self.good, body: Self.body, keys: [Self.testKey], now: Self.t + 301) == .failure(.expired))
        #expect(RequestSignature.verify(header: Self.good, body: Self.body, keys: [Self.testKey], now: Self.t - 3600) == .failure(.expired))
    }

    @Test func fallbackKeyVerifies() throws {
        let other = try SigningKey(parsing: "signkey-test-abcdef")
        #expect(try RequestSignature.verify(header: Self.good, body: Self.body, keys: [other, Self.testKey], now: Self.t).get() == Self.testKey)
        #expect(RequestSignature.verify(header: Self.good, body: Self.body, keys: [other], now: Self.t) == .failure(.mismatch))
    }

    @Test func noKeysMeansNoVerification() {
        #expect(RequestSignature.verify(header: Self.good, body: Self.body, keys: [], now: Self.t) == .failure(.noKeyConfigured))
    }
}
