/// Percent-decoding of request paths and query strings (RFC 3986 §2.1, and
/// the form convention that `+` in a query means a space).
enum PercentDecoding {
    /// Decodes `bytes`; nil on a malformed escape or a decoded NUL.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, plusIsSpace: Bool) -> String? {
        var needsWork = false
        for b in bytes where b == UInt8(ascii: "%") || (plusIsSpace && b == UInt8(ascii: "+")) {
            needsWork = true
            break
        }
        if !needsWork { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "%") {
                guard i + 2 < bytes.count, let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2]) else { return nil }
                let decoded = hi << 4 | lo
                if decoded == 0 { return nil }
                out.append(decoded)
                i += 3
            } else {
                out.append(plusIsSpace && b == UInt8(ascii: "+") ? UInt8(ascii: " ") : b)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Splits `a=1&b=two` into decoded pairs; empty pieces are skipped.
    static func decodeQuery(_ bytes: UnsafeBufferPointer<UInt8>) -> [(name: String, value: String)]? {
        var pairs: [(name: String, value: String)] = []
        var pieceStart = 0
        var i = 0
        while i <= bytes.count {
            if i == bytes.count || bytes[i] == UInt8(ascii: "&") {
                if i > pieceStart {
                    let piece = UnsafeBufferPointer(rebasing: bytes[pieceStart..<i])
                    let eq = piece.firstIndex(of: UInt8(ascii: "=")) ?? piece.count
                    guard let name = decode(UnsafeBufferPointer(rebasing: piece[0..<eq]), plusIsSpace: true) else { return nil }
                    let valueBytes = eq < piece.count ? UnsafeBufferPointer(rebasing: piece[(eq + 1)...]) : UnsafeBufferPointer(rebasing: piece[piece.count...])
                    guard let value = decode(valueBytes, plusIsSpace: true) else { return nil }
                    pairs.append((name: name, value: value))
                }
                pieceStart = i + 1
            }
            i += 1
        }
        return pairs
    }

    @inline(__always)
    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
