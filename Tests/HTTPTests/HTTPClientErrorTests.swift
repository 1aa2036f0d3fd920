import Testing
@testable import HTTP

/// Client errors name where a request went, never its path or query (which may hold a key).
@Suite struct HTTPClientErrorTests {
    @Test func originDropsPathQueryAndFragment() {
        #expect(HTTPClientError.origin(of: "http://127.0.0.1:8288/e/secret") == "http://127.0.0.1:8288/…")
        #expect(HTTPClientError.origin(of: "https://inn.gs?key=secret") == "https://inn.gs/…")
        #expect(HTTPClientError.origin(of: "http://[::1]:1#frag") == "http://[::1]:1/…")
        #expect(HTTPClientError.origin(of: "http://127.0.0.1:8288") == "http://127.0.0.1:8288")
        #expect(HTTPClientError.origin(of: "http://127.0.0.1:8288/") == "http://127.0.0.1:8288/")
        #expect(HTTPClientError.origin(of: "not a url/e/secret") == "not a url/…")
    }

    @Test func invalidURLErrorHoldsOnlyTheOrigin() async {
        do {
            _ = try await SocketHTTPClient().send(HTTPClientRequest(method: "POST", url: "http://127.0.0.1:99999/e/secret-key"))
            Issue.record("expected invalidURL")
        } catch {
            #expect(error as? HTTPClientError == .invalidURL("http://127.0.0.1:99999/…"))
            #expect(!"\(error)".contains("secret-key"))
        }
    }
}
