import HTTP
import Testing

@Suite struct UTCTimestampTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (Int64(1), "1970-01-01T00:00:00.001Z"),
        (Int64(-1), "1969-12-31T23:59:59.999Z"),
        (Int64(951_782_400_000), "2000-02-29T00:00:00.000Z"),           // leap day of a 400-year leap year
        (Int64(1_771_262_880_123), "2026-02-16T17:28:00.123Z"),
        (Int64(4_102_444_799_999), "2099-12-31T23:59:59.999Z"),
        (Int64(-62_135_596_800_000), "0001-01-01T00:00:00.000Z"),
    ])
    func formatsUnixMilliseconds(milliseconds: Int64, expected: String) {
        #expect(UTCTimestamp.rfc3339(milliseconds: milliseconds) == expected)
    }

    @Test func leavesOutAZeroFractionWhenAsked() {
        #expect(UTCTimestamp.rfc3339(milliseconds: 1_771_262_880_000, alwaysMilliseconds: false) == "2026-02-16T17:28:00Z")
        #expect(UTCTimestamp.rfc3339(milliseconds: 1_771_262_880_005, alwaysMilliseconds: false) == "2026-02-16T17:28:00.005Z")
    }

    @Test func nowHasTheFullShape() {
        let text = UTCTimestamp.now()
        #expect(text.utf8.count == 24, "\(text)")
        #expect(text.hasSuffix("Z") && text.dropFirst(10).hasPrefix("T") && text.dropFirst(19).hasPrefix("."), "\(text)")
        #expect(text >= "2026-01-01T00:00:00.000Z", "\(text)")
    }
}
