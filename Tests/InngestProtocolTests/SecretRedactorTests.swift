import Testing
@testable import InngestProtocol

/// The catalogue of places a key hides in text, and text that must stay as it is.
@Suite struct SecretRedactorTests {
    let redactor = SecretRedactor(secrets: ["my-event-key-42"])

    @Test func eventKeyPathsInURLsAndRequestLines() {
        let cases: [(String, String)] = [
            ("connect http://127.0.0.1:8288/e/abc123: refused", "connect http://127.0.0.1:8288/e/[redacted]: refused"),
            ("https://inn.gs/e/abc123?x=1", "https://inn.gs/e/[redacted]?x=1"),
            ("http://host/prefix/e/abc123/more", "http://host/prefix/e/[redacted]/more"),
            ("POST /e/abc123 HTTP/1.1", "POST /e/[redacted] HTTP/1.1"),
            ("\"url\":\"http://h/e/k\"", "\"url\":\"http://h/e/[redacted]\""),
            ("url=/e/abc", "url=/e/[redacted]"),
            ("http://e/e/abc", "http://e/e/[redacted]"),
        ]
        for (text, expected) in cases { #expect(redactor.redact(text) == expected) }
    }

    @Test func knownSecretsAndSigningKeyShapes() {
        #expect(redactor.redact("key my-event-key-42 refused") == "key [redacted] refused")
        #expect(redactor.redact("Bearer signkey-prod-0a1b2c") == "Bearer signkey-prod-[redacted]")
        #expect(redactor.redact("signkey-test-XYZ stays") == "signkey-test-XYZ stays")
        let key = try! SigningKey(parsing: "signkey-prod-00ff")
        let fromKeys = SecretRedactor(eventKeys: ["abcdefgh"], signingKeys: [key])
        #expect(fromKeys.redact("t=\(key.hashedBody) e=abcdefgh") == "t=[redacted] e=[redacted]")
    }

    @Test func ordinaryTextIsLeftAlone() {
        for text in ["/home/e/notes.md", "see docs/e/x", "a/e/b", "e/e/e", "no keys here", "", "/e/", "http://h/e/"] {
            #expect(redactor.redact(text) == text)
        }
        // Secrets shorter than six characters would blank out words.
        #expect(SecretRedactor(secrets: ["the"]).redact("the end") == "the end")
    }
}
