import InngestProtocol
import JSON

/// `system/content-sync`: hourly, and on `content/updated`,
/// `discovery/captured` and `system/adr.sync.requested` (all debounced
/// together), mirror ADRs and discoveries from the vault into the website
/// repository, commit, push, and tell the gateway.
public enum ContentSyncFunction {
    public static let id = "system/content-sync"

    public static func make(_ services: FunctionServices) -> InngestFunction {
        InngestFunction(
            id: id, name: "Content sync",
            triggers: [.cron("0 * * * *"), .event("content/updated"), .event("discovery/captured"), .event("system/adr.sync.requested")],
            config: FunctionConfiguration(retries: 1,
                                          concurrency: [.init(limit: 1, key: "\"content-sync\"", scope: .environment)],
                                          debounce: .init(period: "45s", key: "\"vault-sync\"", timeout: "3m"))
        ) { ctx in
            let publisher = ContentPublisher(services: services, directories: services.config.contentSync.directories, deleteMissing: true, kind: "content")

            let reports = try await ctx.step.run("sync-all-content") {
                try await publisher.requireConfiguredBranch()
                return try publisher.mirror()
            }

            let outcome = try await ctx.step.run("git-commit-push") {
                try await publisher.commitAndPush(message: ContentSyncReport.commitMessage)
            }

            let total = reports.reduce(0) { $0 + $1.synced.count }
            if total > 0 || outcome.commit != nil {
                try await ctx.step.run("notify-gateway") {
                    await services.notify("content.synced", ["files": .number(JSONNumber(total)), "committed": .bool(outcome.commit != nil),
                                                             "summary": .string(ContentSyncReport.summary(reports))])
                }
            }

            return ContentSyncResult(status: "completed", committed: outcome.commit != nil, commit: outcome.commit,
                                     pushed: outcome.pushed, totalSynced: total, content: reports)
        }
    }
}

public struct ContentSyncResult: Codable, Sendable, Equatable {
    public var status: String
    public var committed: Bool
    public var commit: String?
    public var pushed: Bool
    public var totalSynced: Int
    public var content: [ContentDirectoryReport]
}
