import Foundation

/// A five-field cron schedule (`minute hour day-of-month month day-of-week`),
/// optionally prefixed with `TZ=<IANA zone>` (or `CRON_TZ=`), evaluated in that
/// zone (UTC when none is given).
///
/// Fields accept `*`, numbers, `a-b` ranges, `,` lists and `/n` steps; months
/// and weekdays also accept three-letter names, weekday `7` is Sunday, `?` is
/// `*`. The macros `@yearly`/`@annually`, `@monthly`, `@weekly`, `@daily`/
/// `@midnight` and `@hourly` are understood. As in classic cron, when both
/// day-of-month and day-of-week are restricted a day matching either fires.
public struct CronSchedule: Sendable, Equatable, CustomStringConvertible {
    public let source: String
    public let timeZone: TimeZone
    let minutes: Set<Int>
    let hours: Set<Int>
    let daysOfMonth: Set<Int>
    let months: Set<Int>
    let daysOfWeek: Set<Int> // 0 = Sunday
    let dayOfMonthRestricted: Bool
    let dayOfWeekRestricted: Bool

    public var description: String { source }

    public init(_ source: String) throws {
        self.source = source
        var text = source.trimmingCharacters(in: .whitespaces)
        var zone = TimeZone(identifier: "UTC")!
        for prefix in ["TZ=", "CRON_TZ="] where text.hasPrefix(prefix) {
            let rest = text.dropFirst(prefix.count)
            let name = String(rest.prefix { !$0.isWhitespace })
            guard let tz = TimeZone(identifier: name) else { throw CronError(source, "unknown time zone '\(name)'") }
            zone = tz
            text = String(rest.dropFirst(name.count)).trimmingCharacters(in: .whitespaces)
        }
        timeZone = zone
        let macros = ["@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
                      "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *"]
        if text.hasPrefix("@") {
            guard let expanded = macros[text] else { throw CronError(source, "unknown macro '\(text)'") }
            text = expanded
        }
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 5 else {
            throw CronError(source, "expected 5 fields (minute hour day-of-month month day-of-week), found \(fields.count)")
        }
        let monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
        let dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]
        minutes = try Self.parseField(fields[0], name: "minute", range: 0...59, names: [:], source: source)
        hours = try Self.parseField(fields[1], name: "hour", range: 0...23, names: [:], source: source)
        daysOfMonth = try Self.parseField(fields[2], name: "day-of-month", range: 1...31, names: [:], source: source)
        months = try Self.parseField(fields[3], name: "month", range: 1...12,
                                     names: Dictionary(uniqueKeysWithValues: monthNames.enumerated().map { ($1, $0 + 1) }), source: source)
        let dow = try Self.parseField(fields[4], name: "day-of-week", range: 0...7,
                                      names: Dictionary(uniqueKeysWithValues: dayNames.enumerated().map { ($1, $0) }), source: source)
        daysOfWeek = Set(dow.map { $0 == 7 ? 0 : $0 })
        dayOfMonthRestricted = !(fields[2] == "*" || fields[2] == "?")
        dayOfWeekRestricted = !(fields[4] == "*" || fields[4] == "?")
    }

    /// The first fire time strictly after `date`, or nil when none exists within
    /// about five years (e.g. `0 0 30 2 *`, February 30th).
    public func next(after date: Date) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        // Start at the next whole minute.
        var t = (date.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60
        let limit = t + 5 * 366 * 86_400
        while t < limit {
            let c = calendar.dateComponents([.month, .day, .hour, .minute, .weekday], from: Date(timeIntervalSince1970: t))
            guard let month = c.month, let day = c.day, let hour = c.hour, let minute = c.minute, let weekday = c.weekday else {
                return nil
            }
            let startOfDay = t - Double(hour * 3600 + minute * 60)
            if !months.contains(month) || !dayMatches(day: day, weekday: weekday - 1) {
                t = startOfDay + 86_400 // next local midnight (DST days are re-checked on the next pass)
                continue
            }
            if !hours.contains(hour) {
                t = t - Double(minute * 60) + 3600
                continue
            }
            if !minutes.contains(minute) {
                t += 60
                continue
            }
            return Date(timeIntervalSince1970: t)
        }
        return nil
    }

    /// Unix-millisecond convenience for the scheduler.
    public func next(afterMilliseconds ms: Int64) -> Int64? {
        next(after: Date(timeIntervalSince1970: Double(ms) / 1000)).map { Int64($0.timeIntervalSince1970 * 1000) }
    }

    /// The most recent tick at or before `now`, counting from `dueAt` (a tick
    /// itself): an item overdue after downtime fires once, for the latest tick
    /// it missed, not once per missed tick. Gives up after 100,000 ticks.
    func latestTick(from dueAt: Int64, notAfter now: Int64) -> Int64 {
        var tick = dueAt
        var iterations = 0
        while let next = next(afterMilliseconds: tick), next <= now, iterations < 100_000 {
            tick = next
            iterations += 1
        }
        return tick
    }

    private func dayMatches(day: Int, weekday: Int) -> Bool {
        let domOK = daysOfMonth.contains(day), dowOK = daysOfWeek.contains(weekday)
        if dayOfMonthRestricted && dayOfWeekRestricted { return domOK || dowOK }
        return domOK && dowOK
    }

    private static func parseField(_ field: String, name: String, range: ClosedRange<Int>,
                                   names: [String: Int], source: String) throws -> Set<Int> {
        var values = Set<Int>()
        for part in field.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            guard !part.isEmpty else { throw CronError(source, "empty list item in \(name) field '\(field)'") }
            var base = part
            var step = 1
            if let slash = part.firstIndex(of: "/") {
                base = String(part[..<slash])
                guard let s = Int(part[part.index(after: slash)...]), s > 0 else {
                    throw CronError(source, "invalid step in \(name) field '\(part)'")
                }
                step = s
            }
            var low: Int, high: Int
            if base == "*" || base == "?" {
                low = range.lowerBound; high = range.upperBound
            } else if let dash = base.firstIndex(of: "-") {
                low = try value(String(base[..<dash]), name: name, range: range, names: names, source: source)
                high = try value(String(base[base.index(after: dash)...]), name: name, range: range, names: names, source: source)
                guard low <= high else { throw CronError(source, "range \(base) in \(name) field runs backwards") }
            } else {
                low = try value(base, name: name, range: range, names: names, source: source)
                // `a/n` means from a to the end of the range.
                high = part.contains("/") ? range.upperBound : low
            }
            values.formUnion(stride(from: low, through: high, by: step))
        }
        return values
    }

    private static func value(_ text: String, name: String, range: ClosedRange<Int>,
                              names: [String: Int], source: String) throws -> Int {
        if let n = names[text.uppercased()] { return n }
        guard let n = Int(text) else { throw CronError(source, "'\(text)' is not a valid \(name)") }
        guard range.contains(n) else {
            throw CronError(source, "\(name) \(n) is out of range \(range.lowerBound)-\(range.upperBound)")
        }
        return n
    }
}

/// Why a cron expression was rejected.
public struct CronError: Error, Sendable, Equatable, CustomStringConvertible {
    public let source: String
    public let message: String
    init(_ source: String, _ message: String) {
        self.source = source
        self.message = message
    }
    public var description: String { "invalid cron '\(source)': \(message)" }
}
