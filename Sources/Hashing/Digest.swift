#if canImport(CommonCrypto)
import CommonCrypto
#elseif canImport(CCrypto)
import CCrypto
#endif

/// SHA-1 and SHA-256 digests, computed by the platform's crypto library
/// (libcrypto on Linux, CommonCrypto on Apple systems).
///
/// SHA-1 is used only where the Inngest protocol demands it (step ids);
/// nothing security-relevant relies on it.
public enum Digest {
    /// The 20-byte SHA-1 digest of `bytes`.
    public static func sha1(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 20)
        do {
            out.withUnsafeMutableBufferPointer { o in
                #if canImport(CommonCrypto)
                _ = CC_SHA1(input.baseAddress, CC_LONG(input.count), o.baseAddress)
                #else
                _ = SHA1(input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count, o.baseAddress)
                #endif
            }
        }
        return out
    }

    /// The 32-byte SHA-256 digest of `bytes`.
    public static func sha256(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        do {
            out.withUnsafeMutableBufferPointer { o in
                #if canImport(CommonCrypto)
                _ = CC_SHA256(input.baseAddress, CC_LONG(input.count), o.baseAddress)
                #else
                _ = SHA256(input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count, o.baseAddress)
                #endif
            }
        }
        return out
    }

    public static func sha1(_ bytes: [UInt8]) -> [UInt8] { bytes.withUnsafeBytes { sha1($0) } }
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] { bytes.withUnsafeBytes { sha256($0) } }

    /// Lowercase hex SHA-1 of the UTF-8 bytes of `text` (the Inngest step-id hash).
    public static func sha1Hex(_ text: String) -> String {
        var text = text
        return text.withUTF8 { Hex.encode(sha1(UnsafeRawBufferPointer($0))) }
    }

    /// Lowercase hex SHA-256 of the UTF-8 bytes of `text`.
    public static func sha256Hex(_ text: String) -> String {
        var text = text
        return text.withUTF8 { Hex.encode(sha256(UnsafeRawBufferPointer($0))) }
    }
}
