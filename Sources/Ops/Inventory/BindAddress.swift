#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What may stand where infra files say which address to listen on: one
/// numeric IPv4 or IPv6 address, never the wildcard of either family, so a
/// rendered proxy or container publishes on exactly one interface.
public enum BindAddress {
    /// True for a numeric address other than `0.0.0.0` and `::`; names,
    /// empty strings and wildcards are false.
    public static func isSpecific(_ text: String) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return v4.s_addr != 0 }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return false }
        return withUnsafeBytes(of: &v6) { bytes in bytes.contains { $0 != 0 } }
    }
}
