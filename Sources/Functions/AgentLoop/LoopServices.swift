import Foundation
import Subprocess

/// The agent loop's effects, built from the functions' services: the state
/// store, git, the coding tools, the checks and the judge.
struct LoopServices: Sendable {
    let base: FunctionServices
    let store: LoopStateStore
    /// Git on the repository or worktree holding a directory, committing as `GitCommitter.agentLoop`.
    let git: @Sendable (String) -> any GitRepository
    var config: AgentLoopConfig { base.config.agentLoop }

    init(_ services: FunctionServices) {
        base = services
        store = LoopStateStore(database: services.database)
        let (command, runner) = (services.config.gitCommand, services.commands)
        git = { GitCLIRepository(directory: $0, git: command, runner: runner, committer: .agentLoop) }
    }

    var now: Date { base.now() }

    /// Runs coding tools for `loopId`, stopping them when the loop is cancelled.
    func tools(for loopId: String) -> CodingToolRunner {
        let store = self.store
        return CodingToolRunner(tools: config.tools, runner: base.commands, outputDir: config.outputDir + "/" + loopId,
                                isCancelled: { (try? store.isCancelled(loopId)) ?? false })
    }

    var checks: ChecksRunner { ChecksRunner(runner: base.commands, timeout: config.checkTimeout) }

    var reviewer: LoopReviewer { LoopReviewer(llm: base.llm) }

    var judge: LoopJudge { LoopJudge(llm: base.llm, passWhenUnavailable: config.judgePassesWhenLLMUnavailable) }

    /// The loop's settings; a loop the store does not know (never started,
    /// or expired) cannot go on, so this fails the run without retries.
    func settings(_ loopId: String) throws -> LoopSettings {
        guard LoopIdentifier.isValid(loopId) else { throw LoopError.invalid("loopId \"\(loopId.prefix(80))\"") }
        guard let settings = try store.settings(loopId) else { throw LoopError.unknownLoop(loopId) }
        return settings
    }
}

enum LoopError: Error, CustomStringConvertible {
    case invalid(String)
    case unknownLoop(String)

    var description: String {
        switch self {
        case .invalid(let what): return "agent loop: invalid \(what)"
        case .unknownLoop(let id): return "agent loop: no loop \(id) in the state store (never started, or expired)"
        }
    }
}
