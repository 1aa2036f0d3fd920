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
public struct InngestConnection: Sendable {
    /// A person is waiting: two retries (0.2 s, 0.4 s) for a worker that is
    /// restarting, then exit 69. The SDK's id seed keeps retried sends single.
    static let sendAttempts = 3

    let configuration: InngestConfiguration
    let http: any HTTPClient

    /// Fails with exit code 78 when the configuration or the engine's key file cannot be used.
    public init(environment: [String: String], http: any HTTPClient) throws {
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

    /// The signing key and its fallback as configured (for deriving console tokens); empty in dev mode.
    public var signingKeys: [String] {
        [configuration.signingKey?.value, configuration.signingKeyFallback?.value].compactMap { $0 }
    }

    /// `POST {eventAPI}/e/{key}`; returns the ids the server assigned.
    public func send(_ event: InngestEvent) async throws -> [String] {
        let client = EventClient(configuration: configuration, httpClient: http, attempts: Self.sendAttempts)
        do { return try await client.send([event]) } catch { throw Self.failure(error, server: configuration.eventAPIBaseURL) }
    }

    /// The REST API (`/v1/events…`), authenticated with the hashed signing key.
    func query(_ body: (InngestAPIClient) async throws -> [JSON]) async throws -> [JSON] {
        do { return try await body(InngestAPIClient(configuration: configuration, httpClient: http)) } catch {
            throw Self.failure(error, server: configuration.apiBaseURL)
        }
    }

    /// The SDK clients' errors as the CLI's exit codes: no event key → 78,
    /// unreachable → 69, refused or unexpected answer → 1 (with the HTTP status kept).
    static func failure(_ error: any Error, server: String) -> any Error {
        switch error {
        case EventClient.SendError.noEventKey:
            return CommandFailure("\(error)", exitCode: .configuration)
        case EventClient.SendError.unreachable(let why), InngestAPIError.unreachable(let why):
            return CommandFailure("cannot reach Inngest at \(server): \(why)", exitCode: .unavailable)
        case EventClient.SendError.rejected(let status, _), InngestAPIError.rejected(let status, _):
            return CommandFailure("\(error)", httpStatus: status)
        case is EventClient.SendError, is InngestAPIError:
            return CommandFailure("\(error)")
        default:
            return error
        }
    }
}
