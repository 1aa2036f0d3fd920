/// The outcome of merging one branch into another (`GitRepository.merge`),
/// kept as a step result, so its encoded form is stable.
public struct GitMergeResult: Codable, Sendable, Equatable {
    public var merged: Bool
    /// `merged`, `no_new_commits`, `merge_conflict`, `target_checked_out`, `target_missing`.
    public var reason: String
    public var commit: String?
    public var detail: String?

    public init(merged: Bool, reason: String, commit: String? = nil, detail: String? = nil) {
        self.merged = merged
        self.reason = reason
        self.commit = commit
        self.detail = detail
    }
}
