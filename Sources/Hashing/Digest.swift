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
    /// The 20-byte SHA-1 digest of `input`.
    public static func sha1(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        #if canImport(CommonCrypto)
        digest(input, length: 20) { _ = CC_SHA1($0.baseAddress, CC_LONG($0.count), $1) }
        #else
        digest(input, length: 20) { _ = EVP_Digest($0.baseAddress, $0.count, $1, nil, FetchedAlgorithms.sha1, nil) }
        #endif
    }

    /// The 32-byte SHA-256 digest of `input`.
    public static func sha256(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        #if canImport(CommonCrypto)
        digest(input, length: 32) { _ = CC_SHA256($0.baseAddress, CC_LONG($0.count), $1) }
        #else
        digest(input, length: 32) { _ = EVP_Digest($0.baseAddress, $0.count, $1, nil, FetchedAlgorithms.sha256, nil) }
        #endif
    }

    /// Runs a one-shot C digest function that writes `length` bytes into a
    /// fresh output buffer; the two algorithms differ only in that call.
    private static func digest(
        _ input: UnsafeRawBufferPointer, length: Int,
        _ compute: (UnsafeRawBufferPointer, UnsafeMutablePointer<UInt8>?) -> Void
    ) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        out.withUnsafeMutableBufferPointer { compute(input, $0.baseAddress) }
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

#if !canImport(CommonCrypto)
/// Digest algorithms fetched from OpenSSL once. OpenSSL 3 looks an algorithm
/// up by name on every one-shot call (`SHA1()`, `EVP_sha1()`), and that lookup
/// cost several times the hashing of a short step id (seen in callgrind).
/// The fetched objects are immutable and safe to share between threads.
enum FetchedAlgorithms {
    nonisolated(unsafe) static let sha1: OpaquePointer? = EVP_MD_fetch(nil, "SHA1", nil)
    nonisolated(unsafe) static let sha256: OpaquePointer? = EVP_MD_fetch(nil, "SHA256", nil)
    nonisolated(unsafe) static let hmac: OpaquePointer? = EVP_MAC_fetch(nil, "HMAC", nil)
}
#endif
