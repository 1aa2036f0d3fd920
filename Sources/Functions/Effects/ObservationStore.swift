import Foundation
import JSON

/// One observation ready to store: sanitized text plus its write-gate decision.
public struct ObservationItem: Sendable, Equatable, Codable {
    /// `segment_narrative`, `segment_fact` or `observation_text`.
    public var type: String
    public var gate: WriteGateDecision

    public init(type: String, gate: WriteGateDecision) {
        self.type = type
        self.gate = gate
    }
}

/// What a store call did: stored, merged or skipped, counted.
public struct ObservationStoreResult: Sendable, Equatable, Codable {
    public var stored: Bool
    public var count: Int
    public var mergedCount: Int
    public var allowCount: Int
    public var holdCount: Int
    public var discardCount: Int
    public var fallbackCount: Int
    public var ids: [String]

    public init(stored: Bool, count: Int, mergedCount: Int, allowCount: Int, holdCount: Int, discardCount: Int,
                fallbackCount: Int, ids: [String]) {
        self.stored = stored
        self.count = count
        self.mergedCount = mergedCount
        self.allowCount = allowCount
        self.holdCount = holdCount
        self.discardCount = discardCount
        self.fallbackCount = fallbackCount
        self.ids = ids
    }
}

extension ObservationStoreResult {
    /// The JSON form kept for replaying a batch (and returned from the store step).
    public var json: JSON {
        .object(JSONObject([
            (key: "stored", value: .bool(stored)), (key: "count", value: .number(JSONNumber(count))),
            (key: "mergedCount", value: .number(JSONNumber(mergedCount))), (key: "allowCount", value: .number(JSONNumber(allowCount))),
            (key: "holdCount", value: .number(JSONNumber(holdCount))), (key: "discardCount", value: .number(JSONNumber(discardCount))),
            (key: "fallbackCount", value: .number(JSONNumber(fallbackCount))), (key: "ids", value: .array(ids.map { .string($0) })),
        ]))
    }

    public init?(json: JSON) {
        guard let stored = json["stored"]?.boolValue, let count = json["count"]?.intValue else { return nil }
        self.init(stored: stored, count: count, mergedCount: json["mergedCount"]?.intValue ?? 0,
                  allowCount: json["allowCount"]?.intValue ?? 0, holdCount: json["holdCount"]?.intValue ?? 0,
                  discardCount: json["discardCount"]?.intValue ?? 0, fallbackCount: json["fallbackCount"]?.intValue ?? 0,
                  ids: json["ids"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }
}

/// A stored observation as search returns it.
public struct StoredObservation: Sendable, Equatable, Codable {
    public var id: String
    public var sessionId: String
    public var observation: String
    public var type: String
    public var verdict: String
    public var category: String
    public var mergedCount: Int
    public var timestamp: Int64
}

/// Remembered observations with full-text search. The one real
/// implementation is `SQLiteObservationStore`.
public protocol ObservationStore: Sendable {
    /// Stores a batch once: calling again with the same `batchKey` (a retried
    /// step) returns the first call's result without writing anything.
    func store(_ items: [ObservationItem], sessionId: String, source: String, batchKey: String, now: Date) throws -> ObservationStoreResult
    /// Best matches first; `hold`/`discard` observations are left out unless asked for.
    func search(_ query: String, limit: Int, includeWithheld: Bool) throws -> [StoredObservation]
}
