/// Character classes of RFC 9110/9112, as 256-entry tables for speed.
enum HTTPSyntax {
    /// `tchar`: the characters of methods, header names and transfer codings.
    static let isTokenChar: [Bool] = (0..<256).map { c in
        switch UInt8(c) {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(UInt8(c))
        }
    }

    /// Bytes allowed in a field value: VCHAR, obs-text, SP and HTAB. NUL, CR,
    /// LF, other controls and DEL are refused.
    static let isFieldValueChar: [Bool] = (0..<256).map { c in
        c == 0x09 || c == 0x20 || (c >= 0x21 && c <= 0x7E) || c >= 0x80
    }

    /// Bytes allowed in a request target: visible ASCII only.
    static let isTargetChar: [Bool] = (0..<256).map { c in c >= 0x21 && c <= 0x7E }

    static let supportedMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]

    @inline(__always) static func isWhitespace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }

    @inline(__always) static func lowercased(_ b: UInt8) -> UInt8 {
        (b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
    }
}
