/// 64-bit FNV-1a: a fast, non-cryptographic hash that, unlike `Hasher`, is
/// the same in every process and on every platform, so its values may be
/// stored (the engine's sync checksums, the functions' word-hash vectors).
public enum FNV1a {
    public static func hash<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
