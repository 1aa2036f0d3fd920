import HTTP

/// How this SDK names itself on the wire. The server parses the register
/// body's `sdk` as `<language>:v<version>`; it must never be `js` (the server
/// blocks some js versions), so this SDK is `inngest-swift`, language `swift`.
public enum SDKIdentity {
    public static let name = "inngest-swift"
    public static let language = "swift"
    public static let version = "0.1.0"
    /// `inngest-swift:v0.1.0`, used for `X-Inngest-SDK` and the register body's `sdk`.
    public static let header = "\(name):v\(version)"
    public static let framework = "swift"
    public static let requestVersion = "2"

    /// Headers on every request the SDK makes to Inngest.
    static func requestHeaders(configuration: InngestConfiguration) -> HTTPHeaders {
        var h = HTTPHeaders()
        h.set("X-Inngest-SDK", header)
        h.set("User-Agent", header)
        if let env = configuration.environmentName { h.set("X-Inngest-Env", env) }
        return h
    }
}
