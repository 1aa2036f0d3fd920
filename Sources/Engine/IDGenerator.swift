import Foundation

/// Produces the identifiers the engine hands out (event ids, run ids).
///
/// Injected so tests can predict ids; the real one makes ULIDs, which sort by
/// creation time and are what Inngest clients expect to see.
public protocol IDGenerator: Sendable {
    func next() -> String
}

/// Monotonic ULIDs (Crockford base32: 48-bit millisecond time + 80 random
/// bits). Within one millisecond the random part is incremented, so ids from
/// one generator always sort in creation order.
public final class ULIDGenerator: IDGenerator, @unchecked Sendable {
    private let clock: any EngineClock
    private let lock = NSLock()
    private var lastTime: Int64 = -1
    private var lastRandom: (UInt16, UInt64) = (0, 0)
    private var generator = SystemRandomNumberGenerator()

    public init(clock: any EngineClock = SystemClock()) { self.clock = clock }

    public func next() -> String {
        lock.lock()
        defer { lock.unlock() }
        let now = max(clock.nowMilliseconds(), lastTime)
        if now == lastTime {
            // Same millisecond: increment the 80-bit random part to keep order.
            let (low, overflow) = lastRandom.1.addingReportingOverflow(1)
            lastRandom = (overflow ? lastRandom.0 &+ 1 : lastRandom.0, low)
        } else {
            lastTime = now
            lastRandom = (UInt16.random(in: 0...UInt16.max, using: &generator), UInt64.random(in: 0...UInt64.max, using: &generator))
        }
        return ULIDGenerator.encode(time: UInt64(now), high: lastRandom.0, low: lastRandom.1)
    }

    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// Encodes 128 bits (48 time + 16 high random + 64 low random) as 26 characters.
    static func encode(time: UInt64, high: UInt16, low: UInt64) -> String {
        // Assemble the 128-bit value as two 64-bit halves.
        let hi: UInt64 = (time << 16) | UInt64(high)   // 48 + 16 bits
        let lo: UInt64 = low
        var out = [UInt8](repeating: 0, count: 26)
        // 26 chars × 5 bits = 130 bits: the first char carries the top 3 bits.
        for i in 0..<26 {
            let shift = 125 - i * 5 // bit position of this char's lowest bit, counting from bit 0 of the 130-bit number
            var v: UInt64
            if shift >= 64 {
                v = hi >> UInt64(shift - 64)
            } else if shift + 5 <= 64 {
                v = lo >> UInt64(shift)
            } else {
                // Straddles the halves.
                v = (lo >> UInt64(shift)) | (hi << UInt64(64 - shift))
            }
            out[i] = alphabet[Int(v & 0x1F)]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The millisecond timestamp encoded in a ULID, or nil when it is not one.
    public static func timestamp(of ulid: String) -> Int64? {
        let bytes = Array(ulid.utf8)
        guard bytes.count == 26 else { return nil }
        var t: UInt64 = 0
        for b in bytes.prefix(10) {
            guard let idx = alphabet.firstIndex(of: b) else { return nil }
            t = (t << 5) | UInt64(idx)
        }
        return Int64(t)
    }
}
