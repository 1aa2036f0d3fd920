@testable import Engine
import Foundation
import InngestProtocol
import Testing

@Suite("Cron schedules")
struct CronScheduleTests {
    func date(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }
    func iso(_ d: Date?, _ zone: String = "UTC") -> String? {
        guard let d else { return nil }
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: zone)
        return f.string(from: d)
    }

    @Test(arguments: [
        ("*/15 * * * *", "2026-03-01T10:07:30Z", "2026-03-01T10:15:00Z"),
        ("0 0 * * *", "2026-03-01T10:07:00Z", "2026-03-02T00:00:00Z"),
        ("30 9 * * MON-FRI", "2026-02-27T09:30:00Z", "2026-03-02T09:30:00Z"), // Fri -> Mon
        ("0 12 1 JAN,jul *", "2026-02-01T00:00:00Z", "2026-07-01T12:00:00Z"),
        ("0 0 29 2 *", "2026-03-01T00:00:00Z", "2028-02-29T00:00:00Z"),
        ("0 0 13 * 5", "2026-03-01T00:00:00Z", "2026-03-06T00:00:00Z"), // either the 13th or a Friday
        ("5 4 * * 7", "2026-03-01T04:05:00Z", "2026-03-08T04:05:00Z"), // 7 is Sunday; strictly after
        ("@hourly", "2026-03-01T10:00:00Z", "2026-03-01T11:00:00Z"),
        ("10-20/5 * * * *", "2026-03-01T10:16:00Z", "2026-03-01T10:20:00Z"),
    ])
    func nextFireInUTC(_ cron: String, _ after: String, _ expected: String) throws {
        #expect(iso(try CronSchedule(cron).next(after: date(after))) == expected)
    }

    @Test func nextFireHonoursTimeZone() throws {
        let schedule = try CronSchedule("TZ=Europe/Paris 0 9 * * *")
        // 09:00 in Paris in winter is 08:00 UTC, in summer 07:00 UTC.
        #expect(iso(schedule.next(after: date("2026-01-10T12:00:00Z"))) == "2026-01-11T08:00:00Z")
        #expect(iso(schedule.next(after: date("2026-07-10T12:00:00Z"))) == "2026-07-11T07:00:00Z")
        // Across the spring-forward night the local hour still fires once.
        #expect(iso(schedule.next(after: date("2026-03-28T12:00:00Z"))) == "2026-03-29T07:00:00Z")
        #expect(try CronSchedule("CRON_TZ=America/New_York 0 0 * * *").timeZone.identifier == "America/New_York")
    }

    @Test func impossibleDateHasNoNextFire() throws {
        #expect(try CronSchedule("0 0 30 2 *").next(after: date("2026-01-01T00:00:00Z")) == nil)
    }

    @Test(arguments: [
        ("* * * *", "expected 5 fields"),
        ("61 * * * *", "minute 61 is out of range 0-59"),
        ("* * * FOO *", "'FOO' is not a valid month"),
        ("*/0 * * * *", "invalid step"),
        ("TZ=Mars/Olympus 0 0 * * *", "unknown time zone 'Mars/Olympus'"),
        ("@sometimes", "unknown macro"),
        ("5-1 * * * *", "runs backwards"),
    ])
    func rejectsWithClearMessage(_ cron: String, _ fragment: String) {
        let error = #expect(throws: CronError.self) { try CronSchedule(cron) }
        #expect(error?.description.contains(fragment) == true, "\(String(describing: error))")
    }
}

@Suite("Step deadlines and time text")
struct StepDeadlineTests {
    @Test func formatsRFC3339LikeFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for ms: Int64 in [0, 951_782_400_123, 1_767_225_599_999, 4_102_444_800_001, 1_709_164_800_500] {
            #expect(InngestTime.rfc3339(milliseconds: ms) == formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000)))
        }
    }

    @Test func sleepDeadlinesAcceptDatesAndDurations() {
        #expect(StepDeadline.resolve("10s", now: 1_000) == 11_000)
        #expect(StepDeadline.resolve("2026-01-01T00:00:10Z", now: 0) == 1_767_225_610_000)
        #expect(StepDeadline.resolve("soon", now: 0) == nil)
    }
}
