import HTTP
import JSON

/// One stored observation as a vector index sees it.
public struct IndexedObservation: Sendable, Equatable {
    /// The SQLite id (a UUID), reused as the point id so re-indexing replaces.
    public var id: String
    public var sessionId: String
    public var text: String
    public var type: String
    public var source: String
    public var verdict: String
    public var category: String
    public var timestamp: Int64

    public init(id: String, sessionId: String, text: String, type: String, source: String, verdict: String,
                category: String, timestamp: Int64) {
        self.id = id
        self.sessionId = sessionId
        self.text = text
        self.type = type
        self.source = source
        self.verdict = verdict
        self.category = category
        self.timestamp = timestamp
    }
}

/// An optional second home for observations, for vector search. The one real
/// implementation is `QdrantObservationIndex`.
public protocol ObservationIndex: Sendable {
    func upsert(_ observations: [IndexedObservation]) async throws
}

/// Qdrant over its REST API: the collection is created on first use (cosine
/// distance), points are upserted with `wait=true` under their UUIDs (Qdrant
/// refuses other string ids, and zero vectors are never sent).
public struct QdrantObservationIndex: ObservationIndex {
    let baseURL: String
    let collection: String
    let dimensions: Int
    let http: any HTTPClient

    public init(baseURL: String, collection: String = "memory_observations", dimensions: Int = 256, http: any HTTPClient) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.collection = collection
        self.dimensions = dimensions
        self.http = http
    }

    public func upsert(_ observations: [IndexedObservation]) async throws {
        guard !observations.isEmpty else { return }
        try await ensureCollection()
        let points: [JSON] = observations.map { o in
            ["id": .string(o.id),
             "vector": .array(LexicalVector.embed(o.text, dimensions: dimensions).map { .number(JSONNumber($0)) }),
             "payload": ["session_id": .string(o.sessionId), "observation": .string(o.text), "observation_type": .string(o.type),
                         "source": .string(o.source), "write_verdict": .string(o.verdict), "category_id": .string(o.category),
                         "timestamp": .number(JSONNumber(o.timestamp))]]
        }
        try await request("PUT", "/collections/\(collection)/points?wait=true", ["points": .array(points)], accept: [200])
    }

    private func ensureCollection() async throws {
        let status = try await request("GET", "/collections/\(collection)", nil, accept: [200, 404])
        if status == 404 {
            try await request("PUT", "/collections/\(collection)",
                              ["vectors": ["size": .number(JSONNumber(dimensions)), "distance": "Cosine"]], accept: [200, 409])
        }
    }

    @discardableResult
    private func request(_ method: String, _ path: String, _ body: JSON?, accept: Set<Int>) async throws -> Int {
        let response = try await http.send(HTTPClientRequest(method: method, url: baseURL + path,
                                                             headers: ["content-type": "application/json"],
                                                             body: body?.serializedBytes() ?? [], timeout: 10))
        guard accept.contains(response.status) else {
            throw QdrantError(status: response.status, path: path, body: String(decoding: response.body.prefix(300), as: UTF8.self))
        }
        return response.status
    }
}

public struct QdrantError: Error, Sendable, Equatable, CustomStringConvertible {
    public let status: Int
    public let path: String
    public let body: String
    public var description: String { "Qdrant \(path): HTTP \(status) \(body)" }
}
