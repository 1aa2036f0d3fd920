import Support
/// The request-body bytes the whole server may hold at once, shared by every
/// connection.
///
/// The server reads a body completely before any handler (and so any
/// authentication) sees it; without a shared bound, many clients each
/// sending a large body could make the process hold all of them at once. A
/// connection reserves what its body will need — the declared
/// `Content-Length` up front, or what has arrived of a chunked body — and
/// gives it back when its response is sent. A reservation past the total is
/// refused with 503, so memory stays bounded and the client may retry.
final class BodyBudget: Sendable {
    let limit: Int
    private let held = Locked(0)

    init(limit: Int) { self.limit = limit }

    /// Takes `bytes` from the budget; false (and nothing taken) when that would exceed it.
    func reserve(_ bytes: Int) -> Bool {
        held.withLock { held in
            guard bytes <= limit - held else { return false }
            held += bytes
            return true
        }
    }

    func release(_ bytes: Int) {
        held.withLock { $0 -= bytes }
    }

    var heldBytes: Int { held.withLock { $0 } }
}
