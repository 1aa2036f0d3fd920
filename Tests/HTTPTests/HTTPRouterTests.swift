import Testing
import HTTP

@Suite struct HTTPRouterTests {
    private var router: HTTPRouter {
        var r = HTTPRouter()
        r.add("GET", "/health") { _ in HTTPResponse(status: 200, body: Array("ok".utf8)) }
        r.add("POST", "/api/inngest") { req in HTTPResponse(status: 201, body: req.body) }
        r.add("PUT", "/api/inngest") { _ in HTTPResponse(status: 200, body: Array("put".utf8)) }
        return r
    }

    @Test func dispatchesByMethodAndPath() async {
        #expect(await router.handle(HTTPRequest(method: "GET", target: "/health?x=1")).status == 200)
        #expect(await router.handle(HTTPRequest(method: "POST", target: "/api/inngest", body: [7])).body.bytes == [7])
        #expect(await router.handle(HTTPRequest(method: "PUT", target: "/api/inngest")).body.bytes == Array("put".utf8))
    }

    @Test func unknownPathIs404AndWrongMethodIs405WithAllow() async {
        let missing = await router.handle(HTTPRequest(method: "GET", target: "/nope"))
        #expect(missing.status == 404)
        let wrong = await router.handle(HTTPRequest(method: "DELETE", target: "/api/inngest"))
        #expect(wrong.status == 405)
        #expect(wrong.headers["Allow"] == "POST, PUT")
        #expect(await router.handle(HTTPRequest(method: "POST", target: "/health")).headers["Allow"] == "GET, HEAD")
    }

    @Test func headUsesTheGetRoute() async {
        #expect(await router.handle(HTTPRequest(method: "HEAD", target: "/health")).status == 200)
    }
}

extension HTTPBody {
    var bytes: [UInt8]? { if case .bytes(let b) = self { return b } else { return nil } }
}
