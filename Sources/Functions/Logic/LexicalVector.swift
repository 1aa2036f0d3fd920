import Hashing

/// A deterministic bag-of-words vector (feature hashing): each lowercase word
/// of three or more characters adds ±1 to one of `dimensions` buckets, and
/// the result is scaled to unit length.
///
/// It makes Qdrant's cosine search find observations that share words, with
/// no model to download or run. It is lexical, not semantic; a real embedding
/// model can replace it behind `ObservationIndex` without touching callers.
public enum LexicalVector {
    public static func embed(_ text: String, dimensions: Int = 256) -> [Double] {
        var vector = [Double](repeating: 0, count: dimensions)
        for word in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) where word.count >= 3 {
            let hash = FNV1a.hash(word.utf8)
            vector[Int(hash % UInt64(dimensions))] += (hash >> 63) == 0 ? 1 : -1
        }
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm == 0 ? vector : vector.map { $0 / norm }
    }
}
