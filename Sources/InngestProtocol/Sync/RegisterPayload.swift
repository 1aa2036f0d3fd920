import JSON

/// Builds the function list of a sync (docs/serve-protocol.md, "Sync"), for both the out-of-band
/// `POST /fn/register` body and the in-band PUT response.
enum RegisterPayload {
    /// The `functions` array, with step URLs `<serveURL>?fnId=<composite>&stepId=step`.
    static func functions(of inngest: Inngest, serveURL: String) -> JSON {
        .array(inngest.registeredFunctions.map { function(appId: inngest.appId, $0, serveURL: serveURL) })
    }

    static func function(appId: String, _ f: InngestFunction, serveURL: String) -> JSON {
        let composite = f.compositeId(appId: appId)
        let separator = serveURL.contains("?") ? "&" : "?"
        let url = "\(serveURL)\(separator)fnId=\(percentEncode(composite))&stepId=step"
        let retries = f.config.retries ?? FunctionConfiguration.defaultRetries
        var step = JSONObject()
        step["id"] = "step"
        step["name"] = "step"
        step["runtime"] = ["type": "http", "url": .string(url)]
        step["retries"] = ["attempts": .number(JSONNumber(retries))]

        var o = JSONObject()
        o["id"] = .string(composite)
        o["name"] = .string(f.name)
        o["triggers"] = .array(f.triggers.map(\.json))
        o["steps"] = ["step": .object(step)]
        let c = f.config
        if !c.concurrency.isEmpty { o["concurrency"] = .array(c.concurrency.map(\.json)) }
        if let t = c.throttle { o["throttle"] = t.json }
        if let r = c.rateLimit { o["rateLimit"] = r.json }
        if let d = c.debounce { o["debounce"] = d.json }
        if let b = c.batchEvents { o["batchEvents"] = b.json }
        if let p = c.priority { o["priority"] = p.json }
        if let i = c.idempotency { o["idempotency"] = .string(i) }
        if !c.cancelOn.isEmpty { o["cancel"] = .array(c.cancelOn.map(\.json)) }
        if let t = c.timeouts { o["timeouts"] = t.json }
        if let s = c.singleton { o["singleton"] = s.json }
        if let cp = c.checkpointing { o["checkpoint"] = cp.json }
        return .object(o)
    }

    /// Capabilities this SDK implements (only those).
    static let capabilities: JSON = ["trust_probe": "v1", "in_band_sync": "v1"]

    /// The out-of-band register body.
    static func body(of inngest: Inngest, serveURL: String) -> JSON {
        var o = JSONObject()
        o["url"] = .string(serveURL)
        o["v"] = "0.1"
        o["deployType"] = "ping"
        o["sdk"] = .string(SDKIdentity.header)
        o["framework"] = .string(SDKIdentity.framework)
        o["appName"] = .string(inngest.appId)
        if let v = inngest.appVersion { o["appVersion"] = .string(v) }
        o["capabilities"] = capabilities
        o["functions"] = functions(of: inngest, serveURL: serveURL)
        return .object(o)
    }

    static func percentEncode(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%\(hex[Int(b >> 4)])\(hex[Int(b & 0xF)])"
            }
        }
        return out
    }
}
