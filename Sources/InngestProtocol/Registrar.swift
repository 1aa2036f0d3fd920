import Foundation
import HTTP
import JSON

/// Out-of-band sync: tells the server where this app is and what it serves
/// (`POST {api}/fn/register`, spec E1–E4, E13).
public struct RegistrationResult: Sendable, Equatable {
    /// Whether the server recorded a change (false when the same config was synced before).
    public let modified: Bool
    public let message: String
}

public struct RegistrationError: Error, Sendable, CustomStringConvertible {
    public let status: Int?
    public let message: String
    public var description: String {
        status.map { "sync failed (\($0)): \(message)" } ?? "sync failed: \(message)"
    }
}

extension Inngest {
    /// Registers this app's functions with the server, advertising `serveURL`
    /// (the absolute URL of the serve endpoint). `deployId` and
    /// `expectedServerKind` are passed through from a sync `PUT`.
    public func register(serveURL: String, deployId: String? = nil,
                         expectedServerKind: String? = nil) async throws -> RegistrationResult {
        let body = RegisterPayload.body(of: self, serveURL: serveURL).serializedBytes()
        var headers = HTTPHeaders()
        if let kind = expectedServerKind { headers.set("X-Inngest-Expected-Server-Kind", kind) }
        var path = "/fn/register"
        if let deployId { path += "?deployId=\(RegisterPayload.percentEncode(deployId))" }
        let api = InngestAPIClient(configuration: configuration, httpClient: httpClient)
        let response: HTTPClientResponse
        do {
            response = try await api.send(method: "POST", path: path, headers: headers, body: body)
        } catch {
            // A concrete cast, not `"\(error)"`: interpolating `any Error` does
            // dynamic protocol-conformance lookups that touch megabytes of the
            // binary, and this runs on every retry while the server is down.
            let reason = (error as? HTTPClientError)?.description ?? "\(error)"
            throw RegistrationError(status: nil, message: "\(configuration.apiBaseURL) unreachable: \(reason)")
        }
        let reply = try? JSON(parsing: response.body)
        guard (200..<300).contains(response.status) else {
            let message = reply?["error"]?.stringValue ?? reply?["message"]?.stringValue
                ?? String(decoding: response.body.prefix(300), as: UTF8.self)
            throw RegistrationError(status: response.status, message: message)
        }
        return RegistrationResult(modified: reply?["modified"]?.boolValue ?? false, message: "Successfully synced.")
    }

    /// Registers at start-up, retrying with exponential backoff (0.5 s doubling
    /// to 30 s) while the server is not reachable yet. Gives up after
    /// `maxAttempts` and returns the last error; never throws.
    public func registerOnStart(serveURL: String, maxAttempts: Int = 20,
                                sleep: @escaping @Sendable (Double) async -> Void = { seconds in
                                    try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
                                }) async -> Result<RegistrationResult, RegistrationError> {
        ownServeURL.withLock { $0 = serveURL }
        var delay = 0.5
        var last = RegistrationError(status: nil, message: "no attempt made")
        for attempt in 1...max(1, maxAttempts) {
            do {
                let result = try await register(serveURL: serveURL)
                logSink.log(.info, "synced \(registeredFunctions.count) functions with \(configuration.apiBaseURL)",
                            fields: [("modified", String(result.modified)), ("attempt", String(attempt))])
                return .success(result)
            } catch let error as RegistrationError {
                last = error
            } catch {
                last = RegistrationError(status: nil, message: String(describing: error))
            }
            // A 4xx other than 404/429 will not fix itself by waiting.
            if let status = last.status, (400..<500).contains(status), status != 404, status != 429 { break }
            logSink.log(.warn, "sync attempt \(attempt) failed, retrying in \(delay)s: \(last)", fields: [])
            if attempt < maxAttempts { await sleep(delay) }
            delay = min(delay * 2, 30)
        }
        logSink.log(.error, "giving up syncing with \(configuration.apiBaseURL): \(last)", fields: [])
        return .failure(last)
    }
}
