import Engine
import HTTP
import InngestProtocol
import JSON

/// The Inngest server `send` and `runs` talk to, and the SDK's own clients for it.
///
/// Configuration is the SDK's (`InngestConfiguration(environment:)`: `INNGEST_DEV`,
/// `INNGEST_BASE_URL`, the keys...). When no variable names a server, the CLI
/// talks to the worker's embedded engine on this machine, with the keys the
/// worker uses (see `EmbeddedEngineClientEnvironment`).
struct InngestConnection: Sendable {
    /// A person is waiting: two retries (0.2 s, 0.4 s) for a worker that is
    /// restarting, then exit 69. The SDK's id seed keeps retried sends single.
    static let sendAttempts = 3

    let configuration: InngestConfiguration
    let http: any HTTPClient

    /// Fails with exit code 78 when the configuration or the engine's key file cannot be used.
    init(environment: [String: String], http: any HTTPClient) throws {
        do {
            let effective = InngestConfiguration.configuredServerVariables(in: environment).isEmpty
                ? try EmbeddedEngineClientEnvironment.adjusted(environment)
                : environment
            configuration = try InngestConfiguration(environment: effective)
        } catch {
            throw CommandFailure("\(error)", exitCode: .configuration)
        }
        self.http = http
    }

    /// `POST {eventAPI}/e/{key}`; returns the ids the server assigned.
    func send(_ event: InngestEvent) async throws -> [String] {
        let client = EventClient(configuration: configuration, httpClient: http, attempts: Self.sendAttempts)
        do {
            return try await client.send([event])
        } catch let error as EventClient.SendError {
            switch error {
            case .noEventKey:
                throw CommandFailure("\(error)", exitCode: .configuration)
            case .unreachable(let why):
                throw CommandFailure("cannot reach Inngest at \(configuration.eventAPIBaseURL): \(why)", exitCode: .unavailable)
            case .rejected(let status, _):
                throw CommandFailure("\(error)", httpStatus: status)
            case .badReply:
                throw CommandFailure("\(error)")
            }
        }
    }

    /// The REST API (`/v1/events…`), authenticated with the hashed signing key.
    func query(_ body: (InngestAPIClient) async throws -> [JSON]) async throws -> [JSON] {
        do {
            return try await body(InngestAPIClient(configuration: configuration, httpClient: http))
        } catch let error as InngestAPIError {
            switch error {
            case .unreachable(let why):
                throw CommandFailure("cannot reach Inngest at \(configuration.apiBaseURL): \(why)", exitCode: .unavailable)
            case .rejected(let status, _):
                throw CommandFailure("\(error)", httpStatus: status)
            case .badReply:
                throw CommandFailure("\(error)")
            }
        }
    }
}
