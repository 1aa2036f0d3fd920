import Foundation
import Hashing

/// The wire id of a step: lowercase hex SHA-1 of the user's id, with `:n`
/// appended for the n-th repeat (`id`, `id:1`, `id:2`, …; docs/serve-protocol.md, "Step ids").
///
/// Every call replays every step, so the same few ids are hashed again and
/// again; answers are remembered (up to `capacity` ids, then the memory is
/// dropped and refilled) to keep SHA-1 off the hot path.
enum StepIdHasher {
    static let capacity = 4096
    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [String: String] = [:]

    static func hash(_ userId: String, index: Int) -> String {
        let key = index == 0 ? userId : "\(userId):\(index)"
        if let known = lock.withLock({ cache[key] }) { return known }
        let hashed = Digest.sha1Hex(key)
        lock.withLock {
            if cache.count >= capacity { cache.removeAll(keepingCapacity: true) }
            cache[key] = hashed
        }
        return hashed
    }
}
