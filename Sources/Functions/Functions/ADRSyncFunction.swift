import InngestProtocol

/// `system/adr-sync` (the design-era function, hourly and on
/// `system/adr.edited`): copy new and changed ADRs from the vault into the
/// website repository, commit, push. It never deletes;
/// `system/content-sync` is the full mirror. Both share a concurrency key so
/// they never work in the repository at the same time.
public enum ADRSyncFunction {
    public static let id = "system/adr-sync"
    public static let commitMessage = "sync: update ADRs from Vault"

    public static func make(_ services: FunctionServices) -> InngestFunction {
        InngestFunction(
            id: id, name: "ADR sync", triggers: [.cron("0 * * * *"), .event("system/adr.edited")],
            config: FunctionConfiguration(retries: 1, concurrency: [.init(limit: 1, key: "\"content-sync\"", scope: .environment)])
        ) { ctx in
            let adrs = services.config.contentSync.directories.filter { $0.name == "adrs" }
            guard !adrs.isEmpty else { throw NonRetriableError("no content directory named \"adrs\" is configured") }
            let publisher = ContentPublisher(services: services, directories: adrs, deleteMissing: false, kind: "adr")

            let reports = try await ctx.step.run("sync-new-and-updated-adrs") {
                try await publisher.requireConfiguredBranch()
                return try publisher.mirror()
            }

            // Always asked (cheap): git, not the memo above, knows whether a
            // retried copy left something uncommitted or unpushed.
            let outcome = try await ctx.step.run("git-add-commit-push") {
                try await publisher.commitAndPush { _ in commitMessage }
            }
            let synced = reports.flatMap(\.synced)
            return ADRSyncResult(status: "completed", sourceCount: reports.reduce(0) { $0 + $1.sourceCount },
                                 syncedCount: synced.count,
                                 newFiles: synced.filter { $0.status == .new }.map(\.file),
                                 updatedFiles: synced.filter { $0.status == .updated }.map(\.file),
                                 commit: outcome.commit)
        }
    }
}

public struct ADRSyncResult: Codable, Sendable, Equatable {
    public var status: String
    public var sourceCount: Int
    public var syncedCount: Int
    public var newFiles: [String]
    public var updatedFiles: [String]
    public var commit: String?
}
