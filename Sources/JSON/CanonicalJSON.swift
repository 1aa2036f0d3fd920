/// RFC 8785 (JSON Canonicalization Scheme) output.
///
/// Inngest signs JSON bodies over their canonical form (the Go server runs
/// `jcs.Transform` before signing), so a verifier must be able to reproduce it
/// byte for byte: object keys sorted by their UTF-16 code units, no whitespace,
/// numbers in ECMAScript `Number.prototype.toString` form, strings with only
/// the mandatory escapes.
extension JSON {
    /// The canonical (RFC 8785) UTF-8 serialisation. When an object repeats a
    /// key, the last value wins (as when JavaScript parses it).
    public func canonicalBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        CanonicalWriter.write(self, into: &out)
        return out
    }

    /// The canonical serialisation as a string.
    public func canonicalString() -> String { String(decoding: canonicalBytes(), as: UTF8.self) }
}

enum CanonicalWriter {
    static func write(_ value: JSON, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: ECMAScriptNumber.format(n.doubleValue).utf8)
        case .string(let s): JSONWriter.writeString(s, into: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, e) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(e, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            var latest: [String: JSON] = [:]
            for (k, v) in o { latest[k] = v }
            let keys = latest.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
            out.append(UInt8(ascii: "{"))
            for (i, k) in keys.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriter.writeString(k, into: &out)
                out.append(UInt8(ascii: ":"))
                write(latest[k]!, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}

/// Formats a double exactly as ECMAScript's `Number.prototype.toString` does
/// (ECMA-262 §6.1.6.1.20), which RFC 8785 requires for numbers.
public enum ECMAScriptNumber {
    public static func format(_ value: Double) -> String {
        if value.isNaN || value.isInfinite { return "null" }  // not representable; JCS forbids them
        if value == 0 { return "0" }
        if value < 0 { return "-" + format(-value) }
        // Swift's description is the shortest round-trip form; take its digits and exponent.
        let (digits, exponent) = shortestDigits(value)
        let k = digits.count
        let n = exponent  // value = 0.d1d2…dk × 10^n
        if k <= n && n <= 21 {
            return digits + String(repeating: "0", count: n - k)
        }
        if 0 < n && n <= 21 {
            let i = digits.index(digits.startIndex, offsetBy: n)
            return digits[..<i] + "." + digits[i...]
        }
        if -6 < n && n <= 0 {
            return "0." + String(repeating: "0", count: -n) + digits
        }
        let e = n - 1
        let sign = e < 0 ? "-" : "+"
        let mantissa = k == 1 ? digits : String(digits.prefix(1)) + "." + digits.dropFirst()
        return mantissa + "e" + sign + String(abs(e))
    }

    /// The shortest significant digits of a positive finite double (no leading
    /// or trailing zeros) and `n` such that value = 0.digits × 10^n.
    static func shortestDigits(_ value: Double) -> (String, Int) {
        let text = value.description  // e.g. "0.1", "1e-07", "1.2345e+19", "100.0"
        var mantissa = Substring(text)
        var exp10 = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exp10 = Int(text[text.index(after: e)...]) ?? 0
        }
        var intPart = mantissa
        var fracPart: Substring = ""
        if let dot = mantissa.firstIndex(of: ".") {
            intPart = mantissa[..<dot]
            fracPart = mantissa[mantissa.index(after: dot)...]
        }
        var digits = String(intPart) + String(fracPart)
        var n = intPart.count + exp10
        // Strip leading zeros (each shifts the decimal point left).
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            n -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        return (digits, n)
    }
}
