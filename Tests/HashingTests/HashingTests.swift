import Testing
@testable import Hashing

@Suite struct DigestTests {
    @Test(arguments: [
        ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ("my-step-id", "e7d8a2f140845095749d60246ff1110c9d01d76a"),
        ("my-step-id:1", "f47c6228c581af870aa285200cf95ec3ac59bb6a"),
        ("first step", "98bf98df193bcce7c33e6bc50927cf2ac21206cb"),
    ])
    func sha1(_ input: String, _ expected: String) {
        #expect(Digest.sha1Hex(input) == expected)
    }

    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("my-event-key", "756db3455bd70816c089ed7fcd514ab0e66cf5cdf62ccb7a3bca66d96ee3132c"),
    ])
    func sha256(_ input: String, _ expected: String) {
        #expect(Digest.sha256Hex(input) == expected)
    }

    @Test func sha1OfMegabyteMatchesKnownValue() {
        // One million 'a' characters: FIPS 180 test vector.
        let input = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(Hex.encode(Digest.sha1(input)) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }
}

@Suite struct HMACTests {
    // RFC 4231 test cases 1 and 2.
    @Test func rfc4231() {
        let key1 = [UInt8](repeating: 0x0b, count: 20)
        #expect(Hex.encode(HMAC.sha256(key: key1, message: Array("Hi There".utf8)))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(Hex.encode(HMAC.sha256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func emptyKeyAndMessage() {
        #expect(Hex.encode(HMAC.sha256(key: [], message: [])) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test func partsEqualConcatenation() {
        let key = Array("12345678".utf8)
        let whole = HMAC.sha256(key: key, message: Array(#"{"msg":"hi"}1705586504"#.utf8))
        let parts = HMAC.sha256(key: key, parts: [Array(#"{"msg":"hi"}"#.utf8), Array("1705586504".utf8)])
        #expect(whole == parts)
        #expect(Hex.encode(whole) == "2dfba4afcc7e8eeef557b25558f9abb1a4a21251b0b1fe7b04402310c8e6943e")
    }

    @Test func longKeyIsHashedFirst() {
        // RFC 4231 test case 6: a 131-byte key.
        let key = [UInt8](repeating: 0xaa, count: 131)
        let mac = HMAC.sha256(key: key, message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
        #expect(Hex.encode(mac) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }
}

@Suite struct HexAndConstantTimeTests {
    @Test func roundTrip() {
        let bytes: [UInt8] = [0x00, 0x01, 0xab, 0xff, 0x7f]
        #expect(Hex.encode(bytes) == "0001abff7f")
        #expect(Hex.decode("0001ABff7f") == bytes)
    }

    @Test(arguments: ["abc", "zz", "0g", "é0"])
    func rejectsNonHex(_ text: String) {
        #expect(Hex.decode(text) == nil)
    }

    @Test func constantTimeEquality() {
        #expect(ConstantTime.equals("abc", "abc"))
        #expect(!ConstantTime.equals("abc", "abd"))
        #expect(!ConstantTime.equals("abc", "abcd"))
        #expect(ConstantTime.equals("", ""))
    }
}
