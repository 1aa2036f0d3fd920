#if canImport(CommonCrypto)
import CommonCrypto
#elseif canImport(CCrypto)
import CCrypto
#endif

/// HMAC-SHA256, computed by the platform's crypto library (OpenSSL 3's
/// EVP_MAC interface on Linux, CommonCrypto on Apple systems).
public enum HMAC {
    /// The 32-byte HMAC-SHA256 of the concatenation of `parts` under `key`.
    /// Taking parts avoids copying a large body just to append a timestamp.
    public static func sha256(key: [UInt8], parts: [[UInt8]]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        #if canImport(CommonCrypto)
        var ctx = CCHmacContext()
        key.withUnsafeBytes { CCHmacInit(&ctx, CCHmacAlgorithm(kCCHmacAlgSHA256), $0.baseAddress, $0.count) }
        for part in parts { part.withUnsafeBytes { CCHmacUpdate(&ctx, $0.baseAddress, $0.count) } }
        out.withUnsafeMutableBytes { CCHmacFinal(&ctx, $0.baseAddress) }
        #else
        let ctx = EVP_MAC_CTX_new(FetchedAlgorithms.hmac)
        defer { EVP_MAC_CTX_free(ctx) }
        "digest".withCString { name in
            "SHA256".withCString { digest in
                var params = [OSSL_PARAM_construct_utf8_string(name, UnsafeMutablePointer(mutating: digest), 0),
                              OSSL_PARAM_construct_end()]
                // An empty key is still a key: pass a valid pointer with length 0.
                let keyBytes = key.isEmpty ? [0] : key
                keyBytes.withUnsafeBufferPointer { k in
                    _ = EVP_MAC_init(ctx, k.baseAddress, key.count, &params)
                }
            }
        }
        for part in parts {
            part.withUnsafeBufferPointer { _ = EVP_MAC_update(ctx, $0.baseAddress, $0.count) }
        }
        var length = 0
        out.withUnsafeMutableBufferPointer { _ = EVP_MAC_final(ctx, $0.baseAddress, &length, 32) }
        #endif
        return out
    }

    /// The 32-byte HMAC-SHA256 of `message` under `key`.
    public static func sha256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        sha256(key: key, parts: [message])
    }
}
