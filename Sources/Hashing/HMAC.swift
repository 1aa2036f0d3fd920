#if canImport(CommonCrypto)
import CommonCrypto
#elseif canImport(CCrypto)
import CCrypto
#endif

/// HMAC-SHA256, computed by the platform's crypto library.
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
        let ctx = HMAC_CTX_new()
        defer { HMAC_CTX_free(ctx) }
        key.withUnsafeBytes { _ = HMAC_Init_ex(ctx, $0.baseAddress, Int32($0.count), EVP_sha256(), nil) }
        for part in parts {
            part.withUnsafeBufferPointer { _ = HMAC_Update(ctx, $0.baseAddress, $0.count) }
        }
        var length: UInt32 = 32
        out.withUnsafeMutableBufferPointer { _ = HMAC_Final(ctx, $0.baseAddress, &length) }
        #endif
        return out
    }

    /// The 32-byte HMAC-SHA256 of `message` under `key`.
    public static func sha256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        sha256(key: key, parts: [message])
    }
}
