import HTTP
import JSON

/// The serve endpoint, a pure `HTTPRequest -> HTTPResponse` function: mount it
/// on one path (by default `/api/inngest`) of any HTTP server.
///
/// - `GET`: introspection (full shape only for a validly signed request).
/// - `PUT`: sync. Signed with `x-inngest-sync-kind: in_band` ⇒ answer with the
///   configuration (in-band); otherwise register out-of-band via `POST {api}/fn/register`.
///   An unsigned PUT may trigger that (as in the JS SDK): all it can do is make
///   this app call its own configured API with its own key, at a URL the app
///   already knows (never one taken from the unsigned request's `Host`).
/// - `POST ?fnId=…&stepId=…`: run a function call; `?probe=trust` answers a trust probe.
///
/// In cloud mode every `POST` and in-band `PUT` must be signed, and responses
/// are signed back. Status codes: `401` for a missing, malformed, expired or
/// wrong signature (as every Inngest SDK answers), `500` when no signing key
/// is configured at all (a server-side misconfiguration, logged), `413` for
/// bodies over `maxBodyBytes`, `400` for unreadable JSON, `405` for other methods.
public struct InngestServeHandler: HTTPHandler {
    let inngest: Inngest
    /// Bodies above this are refused with `413` (the server switches to `use_api` above 4 MB).
    public var maxBodyBytes: Int

    public init(inngest: Inngest, maxBodyBytes: Int = 16 << 20) {
        self.inngest = inngest
        self.maxBodyBytes = maxBodyBytes
    }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        if request.body.count > maxBodyBytes {
            return ServeResponse.error(413, code: "body_too_large",
                                       message: "request body of \(request.body.count) bytes exceeds the limit of \(maxBodyBytes)",
                                       retriable: false)
        }
        switch request.method {
        case "GET": return introspect(request)
        case "PUT": return await sync(request)
        case "POST": return await call(request)
        default:
            var response = ServeResponse.error(405, code: "method_not_allowed",
                                               message: "\(request.method) is not supported; use GET, PUT or POST",
                                               retriable: false)
            response.headers.set("Allow", "GET, PUT, POST")
            return response
        }
    }

    // MARK: Verification

    private var keys: [SigningKey] {
        [inngest.configuration.signingKey, inngest.configuration.signingKeyFallback].compactMap { $0 }
    }

    /// In cloud mode: the verified key, or the refusal to send. In dev mode: no check.
    private enum Verification {
        case verified(SigningKey?)
        case refused(HTTPResponse)
    }

    private func verify(_ request: HTTPRequest, now: Int64) -> Verification {
        guard inngest.mode == .cloud else { return .verified(nil) }
        switch RequestSignature.verify(header: request.headers["X-Inngest-Signature"], body: request.body,
                                       keys: keys, now: now) {
        case .success(let key):
            return .verified(key)
        case .failure(.noKeyConfigured):
            inngest.logSink.log(.error, "refused an Inngest call: cloud mode needs INNGEST_SIGNING_KEY (or set INNGEST_DEV=1 for the dev server)", fields: [])
            return .refused(ServeResponse.error(500, code: "signing_key_missing",
                                                message: "this app has no signing key configured and cannot verify requests",
                                                retriable: true))
        case .failure(let failure):
            inngest.logSink.log(.warn, "refused an Inngest request: \(failure)", fields: [("method", request.method)])
            return .refused(ServeResponse.error(401, code: failure.code, message: failure.description, retriable: true))
        }
    }

    // MARK: GET

    private func introspect(_ request: HTTPRequest) -> HTTPResponse {
        let now = inngest.clock()
        let header = request.headers["X-Inngest-Signature"]
        if inngest.mode == .dev {
            let body = header == nil ? Introspection.unauthenticated(inngest, authenticated: nil)
                                     : Introspection.authenticated(inngest, servePath: request.path)
            return ServeResponse.json(200, body)
        }
        guard header != nil else {
            return ServeResponse.json(200, Introspection.unauthenticated(inngest, authenticated: nil))
        }
        switch RequestSignature.verify(header: header, body: request.body, keys: keys, now: now) {
        case .success(let key):
            return ServeResponse.json(200, Introspection.authenticated(inngest, servePath: request.path),
                                      signWith: key, now: now)
        case .failure:
            return ServeResponse.json(200, Introspection.unauthenticated(inngest, authenticated: false))
        }
    }

    // MARK: PUT

    private func sync(_ request: HTTPRequest) async -> HTTPResponse {
        let now = inngest.clock()
        let signature = request.headers["X-Inngest-Signature"]
        let inBand = request.headers["X-Inngest-Sync-Kind"] == "in_band" && signature != nil
        if inBand { return inBandSync(request, now: now) }

        // A signature that is present must verify; an absent one is allowed (an
        // unsigned PUT only makes this app call its own configured API with its
        // own key), but then nothing in the request is trusted.
        var signed = false
        if signature != nil, !keys.isEmpty {
            guard case .success = RequestSignature.verify(header: signature, body: request.body, keys: keys, now: now) else {
                inngest.logSink.log(.warn, "refused a sync request with a bad signature", fields: [])
                return ServeResponse.error(401, code: "sig_verification_failed",
                                           message: "X-Inngest-Signature does not verify", retriable: false)
            }
            signed = true
        }
        guard let serveURL = advertisedURL(for: request, trustHost: signed) else {
            return ServeResponse.json(400, ["message": .string(Self.unknownURLMessage), "modified": false],
                                      headers: [("X-Inngest-Sync-Kind", "out_of_band")])
        }
        do {
            let result = try await inngest.register(serveURL: serveURL, deployId: request.queryValue("deployId"),
                                                    expectedServerKind: request.headers["X-Inngest-Server-Kind"])
            return ServeResponse.json(200, ["message": .string(result.message), "modified": .bool(result.modified)],
                                      headers: [("X-Inngest-Sync-Kind", "out_of_band")])
        } catch {
            inngest.logSink.log(.error, "out-of-band sync failed: \(error)", fields: [])
            return ServeResponse.json(500, ["message": .string(String(describing: error)), "modified": false],
                                      headers: [("X-Inngest-Sync-Kind", "out_of_band")])
        }
    }

    static let unknownURLMessage = "this app does not know its own URL yet: set INNGEST_SERVE_ORIGIN, "
        + "register it on start, or sign the sync request"

    /// Signed PUT asking for the configuration in the response (in-band sync; docs/serve-protocol.md, "Sync").
    /// Verified whenever a key is configured, in dev mode too (as the Go SDK does).
    private func inBandSync(_ request: HTTPRequest, now: Int64) -> HTTPResponse {
        var key: SigningKey?
        if !keys.isEmpty || inngest.mode == .cloud {
            switch RequestSignature.verify(header: request.headers["X-Inngest-Signature"], body: request.body,
                                           keys: keys, now: now) {
            case .success(let k): key = k
            case .failure(let failure):
                inngest.logSink.log(.warn, "refused an in-band sync: \(failure)", fields: [])
                let status = failure == .noKeyConfigured ? 500 : 401
                return ServeResponse.error(status, code: failure.code, message: failure.description, retriable: true)
            }
        }
        guard let body = try? JSON(parsing: request.body), let url = body["url"]?.stringValue else {
            return ServeResponse.error(400, code: "bad_request", message: "in-band sync body must be {\"url\": \"…\"}",
                                       retriable: false, signWith: key, now: now)
        }
        var o = JSONObject()
        o["app_id"] = .string(inngest.appId)
        o["appVersion"] = inngest.appVersion.map { .string($0) } ?? .null
        o["capabilities"] = RegisterPayload.capabilities
        o["env"] = inngest.configuration.environmentName.map { .string($0) } ?? .null
        o["framework"] = .string(SDKIdentity.framework)
        o["functions"] = RegisterPayload.functions(of: inngest, serveURL: url)
        o["inspection"] = Introspection.authenticated(inngest, servePath: request.path)
        o["platform"] = .null
        o["sdk_author"] = "inngest"
        o["sdk_language"] = .string(SDKIdentity.language)
        o["sdk_version"] = .string(SDKIdentity.version)
        o["url"] = .string(url)
        return ServeResponse.json(200, .object(o), headers: [("X-Inngest-Sync-Kind", "in_band")], signWith: key, now: now)
    }

    /// The serve URL to advertise, in order: `INNGEST_SERVE_ORIGIN` (with
    /// `INNGEST_SERVE_PATH` or the request's path); the URL the app registered
    /// itself with on start; the request's own `Host` and path, but only when
    /// the request was signed (`trustHost`). `nil` when none applies: an
    /// unsigned request must not choose where the server will send calls.
    func advertisedURL(for request: HTTPRequest, trustHost: Bool) -> String? {
        let c = inngest.configuration
        if let origin = c.serveOrigin { return origin + (c.servePath ?? request.path) }
        if let own = inngest.ownServeURL.withLock({ $0 }) { return own }
        guard trustHost, let host = request.headers["Host"], !host.isEmpty else { return nil }
        return "http://\(host)" + (c.servePath ?? request.path)
    }

    // MARK: POST

    private func call(_ request: HTTPRequest) async -> HTTPResponse {
        let now = inngest.clock()
        let key: SigningKey?
        switch verify(request, now: now) {
        case .verified(let k): key = k
        case .refused(let response): return response
        }

        if let probe = request.queryValue("probe") {
            guard probe == "trust" else {
                return ServeResponse.error(400, code: "unknown_probe", message: "unknown probe \"\(probe)\"",
                                           retriable: false, signWith: key, now: now)
            }
            return ServeResponse.json(200, [:], signWith: key, now: now)
        }

        guard let fnId = request.queryValue("fnId"), !fnId.isEmpty else {
            return ServeResponse.error(400, code: "bad_request", message: "missing fnId query parameter",
                                       retriable: false, signWith: key, now: now)
        }
        guard let function = inngest.function(compositeId: fnId) else {
            return ServeResponse.error(500, code: "function_not_found",
                                       message: "no function with id \"\(fnId)\" in app \(inngest.appId)",
                                       retriable: true, signWith: key, now: now)
        }
        var callRequest: CallRequest
        do {
            callRequest = try CallRequest(json: try JSON(parsing: request.body))
        } catch {
            // The same bytes will never parse: a retry could only fail again.
            return ServeResponse.error(400, code: "bad_request", message: "unreadable call request: \(error)",
                                       retriable: false, signWith: key, now: now)
        }
        if callRequest.useAPI {
            do {
                let fetcher = RunDataFetcher(api: InngestAPIClient(configuration: inngest.configuration,
                                                                   httpClient: inngest.httpClient))
                let (events, steps) = try await fetcher.fetch(runId: callRequest.runId)
                callRequest.applyFetched(events: events, steps: steps)
            } catch {
                return ServeResponse.error(500, code: "api_fetch_failed", message: "use_api: \(error)",
                                           retriable: true, signWith: key, now: now)
            }
        }
        let stepId = request.queryValue("stepId") ?? "step"
        let executor = inngest.executor, call = callRequest
        let outcome: CallOutcome
        if let settings = function.config.checkpointing {
            let checkpointing = CheckpointingCall(executor: executor,
                                                  api: InngestAPIClient(configuration: inngest.configuration, httpClient: inngest.httpClient),
                                                  logSink: inngest.logSink, elapsedClock: inngest.elapsedClock,
                                                  unixMilliseconds: { [clock = inngest.clock] in clock() * 1000 })
            outcome = await Self.awayFromTheCaller { await checkpointing.execute(function, request: call, stepId: stepId, settings: settings) }
        } else {
            outcome = await Self.awayFromTheCaller { await executor.execute(function, request: call, stepId: stepId) }
        }
        return ServeResponse.outcome(outcome, signWith: key, now: now)
    }

    /// Runs a function body on the global pool, not on the executor the
    /// request arrived on. An HTTP server may run handlers on its event loop
    /// (this package's does), and a body that blocks its thread (a file lock,
    /// a slow disk, a synchronous wait) would otherwise stall every other
    /// connection of that loop, `/health` included.
    static func awayFromTheCaller<T: Sendable>(_ work: @escaping @Sendable () async -> T) async -> T {
        if #available(macOS 15.0, *) {
            return await withTaskExecutorPreference(globalConcurrentExecutor, operation: work)
        }
        return await work()
    }
}
