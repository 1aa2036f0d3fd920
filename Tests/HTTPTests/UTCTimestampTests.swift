import HTTP
import Testing
import Support

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

@Suite struct UTCTimestampParsingTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("2026-02-16T17:28:00.123Z", Int64(1_771_262_880_123)),
        ("2026-02-16T17:28:00.1Z", Int64(1_771_262_880_100)),
        ("2026-02-16T17:28:00.123456789Z", Int64(1_771_262_880_123)),
        ("2026-02-16t17:28:00z", Int64(1_771_262_880_000)),
        ("2026-02-16T19:28:00+02:00", Int64(1_771_262_880_000)),
        ("2026-02-16T12:58:00.123-04:30", Int64(1_771_262_880_123)),
        ("2000-02-29T00:00:00Z", Int64(951_782_400_000)),
        ("1969-12-31T23:59:59.999Z", Int64(-1)),
        ("2016-12-31T23:59:60Z", Int64(1_483_228_800_000)),
    ])
    func parses(text: String, expected: Int64) {
        #expect(UTCTimestamp.milliseconds(rfc3339: text) == expected)
    }

    @Test(arguments: [
        "", "2026-02-16", "2026-02-16T17:28:00", "2026-02-16 17:28:00Z", "2026-13-01T00:00:00Z",
        "2026-02-29T00:00:00Z", "2026-02-16T24:00:00Z", "2026-02-16T17:28:00.Z", "2026-02-16T17:28:00+0200",
        "2026-02-16T17:28:00Zjunk", "2026-2-16T17:28:00Z", "1h", "+2026-02-16T17:28:00Z",
    ])
    func refuses(text: String) {
        #expect(UTCTimestamp.milliseconds(rfc3339: text) == nil, "\(text)")
    }

    @Test func roundTripsWhatItFormats() {
        for ms in stride(from: Int64(-100_000_000_000), through: 5_000_000_000_000, by: 7_777_777_777) {
            #expect(UTCTimestamp.milliseconds(rfc3339: UTCTimestamp.rfc3339(milliseconds: ms)) == ms)
        }
    }
}
