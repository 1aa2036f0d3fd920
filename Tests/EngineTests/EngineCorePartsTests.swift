import Foundation
import HTTP
import InngestProtocol
import JSON
import Testing
@testable import Engine

/// The pieces `EngineCore` is made of, each exercised alone: flow-control
/// decisions against a real (in-memory) SQLite store, pause matching, retry
/// timing, cron catch-up and the reading of a worker's ops.
@Suite("Engine core parts, one at a time")
struct EngineCorePartsTests {
    static func function(_ extra: JSON) throws -> FunctionDefinition {
        var config: JSON = [
            "id": "app-f", "name": "f", "triggers": [["event": "a/b"]],
            "steps": ["step": ["id": "step", "name": "step", "runtime": ["type": "http", "url": "http://127.0.0.1:1/api"]]],
        ]
        for (key, value) in extra.objectValue ?? JSONObject() { config[key] = value }
        return try FunctionDefinition(config: config, appID: "app")
    }

    static func store() throws -> EngineStore {
        try EngineStore(path: ":memory:", synchronous: .full, now: 0)
    }

    // MARK: RunAdmission

    @Test func gcraGrantsLimitPerPeriodThenDropsOrDelays() throws {
        let rate = try Self.function(["rateLimit": ["limit": 2, "period": "10s"]]).rateLimit!
        let first = try #require(RunAdmission.gcra(rate, theoreticalArrival: nil, now: 0, drop: true))
        #expect(first.start == 0 && first.nextArrival == 5_000)
        let second = try #require(RunAdmission.gcra(rate, theoreticalArrival: first.nextArrival, now: 0, drop: true))
        #expect(second.nextArrival == 10_000)
        #expect(RunAdmission.gcra(rate, theoreticalArrival: second.nextArrival, now: 0, drop: true) == nil, "third in the period is dropped")
        let delayed = try #require(RunAdmission.gcra(rate, theoreticalArrival: second.nextArrival, now: 0, drop: false))
        #expect(delayed.start == 5_000, "a throttle delays it to the next free slot instead")
        #expect(RunAdmission.gcra(rate, theoreticalArrival: second.nextArrival, now: 5_000, drop: true) != nil)
    }

    @Test func rateLimitDropsPerKeyInTheStore() throws {
        let store = try Self.store()
        let admission = RunAdmission(store: store, settings: EngineSettings())
        let f = try Self.function(["rateLimit": ["limit": 1, "period": "1h", "key": "event.data.user"]])
        let a: JSON = ["id": "e1", "name": "a/b", "data": ["user": "ann"]]
        let b: JSON = ["id": "e2", "name": "a/b", "data": ["user": "bob"]]
        #expect(try admission.decide(f, event: a, now: 0) == .start(at: 0))
        #expect(try admission.decide(f, event: a, now: 1_000) == .dropped)
        #expect(try admission.decide(f, event: b, now: 1_000) == .start(at: 1_000))
        #expect(try admission.decide(f, event: a, now: 3_600_000) == .start(at: 3_600_000))
    }

    @Test func idempotencyClaimsAKeyOnce() throws {
        let admission = RunAdmission(store: try Self.store(), settings: EngineSettings())
        let f = try Self.function(["idempotency": "event.data.order"])
        #expect(try admission.decide(f, event: ["id": "e1", "data": ["order": 7]], now: 0) == .start(at: 0))
        #expect(try admission.decide(f, event: ["id": "e2", "data": ["order": 7]], now: 10) == .dropped)
        #expect(try admission.decide(f, event: ["id": "e3", "data": ["order": 8]], now: 10) == .start(at: 10))
    }

    @Test func debounceOpensOneTimerAndMovesItsDeadline() throws {
        let store = try Self.store()
        let admission = RunAdmission(store: store, settings: EngineSettings())
        let f = try Self.function(["debounce": ["period": "10s", "timeout": "25s"]])
        guard case .debounced(let timer?) = try admission.decide(f, event: ["id": "e1"], now: 0) else {
            Issue.record("the first event opens the debounce with a timer"); return
        }
        #expect(timer.kind == .debounce && timer.dueAt == 10_000)
        #expect(try admission.decide(f, event: ["id": "e2"], now: 8_000) == .debounced(timer: nil))
        #expect(try store.debounce(functionID: f.id, key: "")?.dueAt == 18_000)
        _ = try admission.decide(f, event: ["id": "e3"], now: 20_000)
        #expect(try store.debounce(functionID: f.id, key: "")?.dueAt == 25_000, "the timeout caps the deadline")
        #expect(try store.debounce(functionID: f.id, key: "")?.event.contains("e3") == true)
    }

    @Test func flowControlKeysAreUnquotedText() throws {
        #expect(try Expression("event.data.user").flowControlKey(["data": ["user": "ann"]]) == "ann")
        #expect(try Expression("event.data.n").flowControlKey(["data": ["n": 3]]) == "3")
        #expect(try Expression("event.data.missing").flowControlKey(["data": [:]]) == "null")
    }

    // MARK: PauseMatcher

    static func pause(expression: String? = nil, correlation: String? = nil, expiresAt: Int64? = nil,
                      trigger: JSON = ["data": ["id": 1]]) -> PauseRecord {
        PauseRecord(id: "p", runID: "r", kind: .wait, stepID: "s", eventName: "a/reply", expression: expression,
                    correlationID: correlation, triggerEventText: trigger.serialized(), expiresAt: expiresAt)
    }

    @Test func pausesMatchByExpressionCorrelationOrAlways() {
        let matcher = PauseMatcher()
        let reply: JSON = ["name": "a/reply", "data": ["id": 1, "correlation_id": "run.step"]]
        #expect(matcher.resumes(Self.pause(), with: reply, now: 0))
        #expect(matcher.resumes(Self.pause(expression: "event.data.id == async.data.id"), with: reply, now: 0))
        #expect(!matcher.resumes(Self.pause(expression: "event.data.id == async.data.id"), with: ["data": ["id": 2]], now: 0))
        #expect(matcher.resumes(Self.pause(correlation: "run.step"), with: reply, now: 0))
        #expect(!matcher.resumes(Self.pause(correlation: "other"), with: reply, now: 0))
    }

    @Test func expiredPausesAndBrokenExpressionsNeverMatch() {
        let matcher = PauseMatcher(cacheLimit: 1)
        #expect(!matcher.resumes(Self.pause(expiresAt: 100), with: ["data": [:]], now: 100))
        #expect(matcher.resumes(Self.pause(expiresAt: 100), with: ["data": [:]], now: 99))
        #expect(!matcher.resumes(Self.pause(expression: "event.data.id ==="), with: ["data": [:]], now: 0))
        for n in 0..<5 { _ = matcher.resumes(Self.pause(expression: "async.data.n == \(n)"), with: ["data": ["n": .number(JSONNumber(n))]], now: 0) }
        #expect(matcher.cachedCount <= 2, "the cache stays bounded")
    }

    // MARK: RetryPolicy

    @Test func defaultBackoffIsTheServersTablePlusUpToThirtySecondsOfJitter() {
        let settings = EngineSettings()
        let none = RetryPolicy(settings: settings, random: { 0 })
        let seconds = (0..<12).map { none.backoff(attempt: $0) / 1000 }
        #expect(seconds == [15, 30, 60, 120, 300, 600, 1_200, 2_400, 3_600, 7_200, 7_200, 7_200], "capped at 2 h")
        #expect(none.backoff(attempt: 10_000) == 7_200_000, "large attempt counts stay at the cap")
        let most = RetryPolicy(settings: settings, random: { 0.999 })
        #expect(most.backoff(attempt: 0) == 15_000 + 29_970, "jitter adds under 30 s")
        #expect(RetryPolicy(settings: settings).backoff(attempt: 1) >= 30_000)
    }

    @Test func aBaseDelaySelectsTheDoublingScheduleAndRetryAfterIsClamped() {
        var settings = EngineSettings()
        settings.retryBaseMilliseconds = 1_000
        settings.retryMaxMilliseconds = 5_000
        settings.retryAfterMaxMilliseconds = 60_000
        let policy = RetryPolicy(settings: settings, random: { 1.0 })
        #expect((0..<5).map { policy.backoff(attempt: $0) } == [1_000, 2_000, 4_000, 5_000, 5_000])
        #expect(policy.backoff(attempt: 500) == 5_000, "large attempt counts do not overflow")
        #expect(RetryPolicy(settings: settings, random: { 0 }).backoff(attempt: 1) == 1_000)
        #expect(policy.retryAt(attempt: 0, retryAfter: nil, now: 100) == 1_100)
        #expect(policy.retryAt(attempt: 0, retryAfter: 50, now: 100) == 1_100, "a past Retry-After means in 1 s, as on the server")
        #expect(policy.retryAt(attempt: 0, retryAfter: 30_000, now: 100) == 30_000)
        #expect(policy.retryAt(attempt: 0, retryAfter: 10_000_000, now: 100) == 60_100, "capped")
    }

    // MARK: Cron catch-up

    @Test func anOverdueCronItemFiresForItsLatestMissedTick() throws {
        let hourly = try CronSchedule("0 * * * *")
        let dueAt: Int64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z
        #expect(hourly.latestTick(from: dueAt, notAfter: dueAt + 30 * 60_000) == dueAt, "not overdue: its own tick")
        #expect(hourly.latestTick(from: dueAt, notAfter: dueAt + 7 * 86_400_000 + 90_000) == dueAt + 7 * 86_400_000)
    }

    // MARK: Reading a worker's ops

    @Test func opsAreReadWithTheSDKsGeneratorOp() {
        let headers: HTTPHeaders = ["X-Inngest-SDK": "swift:v1"]
        let body = #"[{"op":"sleep","id":"h1","name":"nap","opts":{"duration":"1s"}},{"op":"Teleport","id":"h2"},{"id":"h3"}]"#
        let result = CallResponseParser.parse(status: 206, headers: headers, body: Array(body.utf8), now: 0)
        guard case .ops(let ops) = result.outcome, ops.count == 3 else { Issue.record("\(result.outcome)"); return }
        guard case .known(let sleep) = ops[0], case .unsupported(let code, let stepID) = ops[1], case .known(let none) = ops[2] else {
            Issue.record("\(ops)"); return
        }
        #expect(sleep == GeneratorOp(op: .sleep, id: "h1", name: "nap", opts: ["duration": "1s"]))
        #expect(code == "Teleport" && stepID == "h2")
        #expect(none.op == .none && none.name == "")
        let bad = CallResponseParser.parse(status: 206, headers: headers, body: Array("[1]".utf8), now: 0)
        guard case .failed = bad.outcome else { Issue.record("a non-object op fails the call"); return }
    }
}
