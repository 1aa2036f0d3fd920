import TestSupport
import Foundation
import Testing
import HTTP
import JSON
@testable import InngestProtocol

/// Runs every case of `ServeCatalogue` against a worker's serve endpoint on a
/// real loopback server, once in dev mode and once in cloud mode, and checks
/// the answer — and that the server still answers a good request afterwards.
@Suite struct ServeCatalogueTests {
    static let key = try! SigningKey(parsing: "signkey-test-0123456789abcdef")
    static let echo = InngestFunction(id: "echo", triggers: [.event("test/event")]) { ctx -> JSON in ctx.event.data }

    static func inngest(cloud: Bool) -> Inngest {
        Inngest(appId: "test-app", functions: [echo],
                configuration: InngestConfiguration(mode: cloud ? .cloud : .dev, signingKey: cloud ? key : nil,
                                                    eventKey: "test-event-key", apiBaseURL: "http://127.0.0.1:9"),
                httpClient: UnreachableHTTPClient(), logSink: DiscardingLogSink(), clock: { ServeCatalogue.now })
    }

    static func signature(for c: HostileRequest, cloud: Bool) -> (name: String, value: String)? {
        let value: String?
        switch c.signature {
        case .none: value = nil
        case .header(let v): value = v
        case .valid: value = cloud ? RequestSignature.sign(body: c.body, key: key, timestamp: ServeCatalogue.now) : nil
        case .skewed(let seconds): value = RequestSignature.sign(body: c.body, key: key, timestamp: ServeCatalogue.now + seconds)
        }
        return value.map { ("X-Inngest-Signature", $0) }
    }

    @Test func catalogueIsLargeAndNamesAreUnique() {
        #expect(ServeCatalogue.cases.count >= 30)
        #expect(Set(ServeCatalogue.cases.map(\.name)).count == ServeCatalogue.cases.count)
    }

    @Test(arguments: [false, true])
    func everyCaseGetsItsExpectedAnswer(cloud: Bool) async throws {
        let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, eventLoops: 1),
                                handler: Self.inngest(cloud: cloud).handler)
        try server.start()
        for c in ServeCatalogue.cases {
            let expected = cloud ? c.expected.cloud : c.expected.dev
            let bytes = RawExchange.bytes(c, credential: Self.signature(for: c, cloud: cloud))
            let (status, body) = try await RawExchange.status(port: server.port, sending: bytes)
            #expect(status == expected, "\(cloud ? "cloud" : "dev"): \(c.name): \(String(decoding: body.prefix(300), as: UTF8.self))")
        }
        let good = HostileRequest(name: "after", body: ServeCatalogue.good, expected: .both(200))
        let after = try await RawExchange.status(port: server.port, sending: RawExchange.bytes(good, credential: Self.signature(for: good, cloud: cloud)))
        #expect(after.status == 200)
        await server.shutdown(drain: 1)
    }
}
