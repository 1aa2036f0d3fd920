/// What one content directory's sync changed.
public struct ContentDirectoryReport: Sendable, Equatable, Codable {
    public var name: String
    public var sourceCount: Int
    public var synced: [SyncedFile]

    public init(name: String, sourceCount: Int, synced: [SyncedFile]) {
        self.name = name
        self.sourceCount = sourceCount
        self.synced = synced
    }
}

/// Commit message and summaries for a content sync, in the format earlier syncs
/// used, so the repository's history reads the same.
public enum ContentSyncReport {
    /// ```
    /// sync: vault content (3 files)
    ///
    /// adrs (2):
    ///   new: 0099-new-thing.md
    /// ```
    public static func commitMessage(_ reports: [ContentDirectoryReport]) -> String {
        let changed = reports.filter { !$0.synced.isEmpty }
        let total = changed.reduce(0) { $0 + $1.synced.count }
        let body = changed.map { report in
            (["\(report.name) (\(report.synced.count)):"] + report.synced.map { "  \($0.status.rawValue): \($0.file)" })
                .joined(separator: "\n")
        }.joined(separator: "\n")
        return "sync: vault content (\(total) file\(total == 1 ? "" : "s"))\n\n" + body
    }

    /// `adrs: 2, discoveries: 1` (changed directories only).
    public static func summary(_ reports: [ContentDirectoryReport]) -> String {
        reports.filter { !$0.synced.isEmpty }.map { "\($0.name): \($0.synced.count)" }.joined(separator: ", ")
    }
}
