import TestSupport
import Engine
import Foundation
import HTTP
import JSON
import Testing

/// Runs every case of `EngineCatalogue` against an embedded engine's API on a
/// real loopback socket, open (dev) and locked (cloud), and checks the answer,
/// then that the engine still accepts a good event.
@Suite("Engine hostile-request catalogue", .serialized)
struct EngineCatalogueTests {
    @Test func catalogueIsLargeAndNamesAreUnique() {
        #expect(EngineCatalogue.cases.count >= 30)
        #expect(Set(EngineCatalogue.cases.map(\.name)).count == EngineCatalogue.cases.count)
    }

    @Test(arguments: [false, true])
    func everyCaseGetsItsExpectedAnswer(cloud: Bool) async throws {
        let scratch = try TemporaryDirectory("enginetests")
        var configuration = EmbeddedEngineConfiguration(databasePath: scratch.file("catalogue.sqlite"))
        configuration.port = 0
        configuration.synchronous = .normal
        configuration.clock = ManualClock()
        if cloud {
            configuration.signingKey = EngineCatalogue.signingKey
            configuration.eventKeys = [EngineCatalogue.eventKey]
        }
        let engine = EmbeddedEngine(configuration: configuration, client: SocketHTTPClient())
        try engine.start(dispatching: false)
        for c in EngineCatalogue.cases {
            var request = c
            request.target = c.target.replacingOccurrences(of: "{key}", with: EngineCatalogue.eventKey)
            let credential: (name: String, value: String)?
            switch c.signature {
            case .valid: credential = cloud ? ("Authorization", "Bearer " + EngineCatalogue.signingKey) : nil
            case .header(let value): credential = ("Authorization", value)
            case .none, .skewed: credential = nil
            }
            let (status, body) = try await RawExchange.status(port: engine.port, sending: RawExchange.bytes(request, credential: credential))
            let expected = cloud ? c.expected.cloud : c.expected.dev
            #expect(status == expected, "\(cloud ? "cloud" : "dev"): \(c.name): \(String(decoding: body.prefix(300), as: UTF8.self))")
        }
        let good = HostileRequest(name: "after", target: "/e/" + EngineCatalogue.eventKey, body: EngineCatalogue.event(#""data":{}"#),
                                  expected: .both(200))
        #expect(try await RawExchange.status(port: engine.port, sending: RawExchange.bytes(good, credential: nil)).status == 200)
        await engine.stop()
    }
}
