import Foundation
import InngestProtocol
import JSON

/// The planner's start-up work: turning an `agent/loop.started` event into
/// stored loop settings, and reading (or generating) the PRD. Paths from the
/// event are confined: the project must be an existing directory inside a
/// git repository, and the PRD file and context files must lie inside the project.
enum LoopStart {
    static func create(_ input: AgentLoopPlanFunction.StartInput, _ loop: LoopServices) async throws -> LoopSettings {
        guard LoopIdentifier.isValid(input.loopId) else { throw NonRetriableError("agent/loop.started: invalid loopId") }
        var isDir: ObjCBool = false
        guard input.project.hasPrefix("/"), FileManager.default.fileExists(atPath: input.project, isDirectory: &isDir), isDir.boolValue else {
            throw NonRetriableError("agent/loop.started: project must be an existing absolute directory, got \(input.project.prefix(200))")
        }
        let projectKey = ProjectKey.normalise(input.project)
        let repoRoot = ProjectKey.normalise(try await loop.git(projectKey).root())
        let relative = projectKey == repoRoot ? "" : String(projectKey.dropFirst(repoRoot.count + 1))
        let worktree = loop.config.worktreeRoot + "/" + input.loopId
        let known = Set(loop.config.tools.keys)
        let remembered = try loop.store.recommendations(projectKey: projectKey).recommendations?.suggestedRetryLadder
        let ladder = [input.retryLadder, remembered, loop.config.defaultLadder]
            .compactMap { $0?.filter(known.contains) }.first { !$0.isEmpty } ?? loop.config.defaultLadder
        var assignments: [String: String] = [:]
        for (story, assignment) in input.toolAssignments ?? [:] {
            if let tool = assignment.implementor, known.contains(tool), LoopIdentifier.isValid(story) { assignments[story] = tool }
        }
        let settings = LoopSettings(
            loopId: input.loopId, project: input.project, projectKey: projectKey, repoRoot: repoRoot, relativePath: relative,
            worktree: worktree, workDir: relative.isEmpty ? worktree : worktree + "/" + relative,
            branch: "agent-loop/" + input.loopId, targetBranch: loop.config.targetBranch, push: input.push ?? false,
            maxRetries: min(max(input.maxRetries ?? 2, 1), 10), maxIterations: min(max(input.maxIterations ?? 100, 1), 1000),
            retryLadder: ladder, toolAssignments: assignments, originSession: input.originSession)
        return try loop.store.createLoop(settings, now: loop.now, ttl: loop.config.stateTTLSeconds)
    }

    /// Seeds the stories from the PRD file (inside the project) or from the
    /// planner LLM's answer for `goal`; returns how many there are.
    static func readPRD(_ input: AgentLoopPlanFunction.StartInput, _ settings: LoopSettings, _ loop: LoopServices) async throws -> Int {
        if let existing = try? loop.store.stories(settings.loopId), !existing.isEmpty { return existing.count }
        let prd: LoopPRD
        if let goal = input.goal, !goal.isEmpty {
            let listing = (try? FileManager.default.contentsOfDirectory(atPath: settings.workDir).sorted()) ?? []
            let context = (input.context ?? []).prefix(10).compactMap { path -> String? in
                guard let file = confined(path, to: settings.projectKey),
                      let data = FileManager.default.contents(atPath: file), data.count < 200_000 else { return nil }
                return String(decoding: data, as: UTF8.self)
            }
            let answer = try await loop.base.llm.complete(LLMRequest(prompt: LoopPrompts.planner(goal: goal, listing: listing, context: context, maxStories: 6)))
            guard let json = ClaudeOutputParser.parse(answer), let parsed = try? json.decode(LoopPRD.self) else {
                throw LoopError.invalid("planner answer (not a PRD): \(answer.prefix(300))")
            }
            prd = LoopPRD(title: parsed.title, description: parsed.description, stories: Array(parsed.stories.prefix(6)))
        } else {
            guard let path = confined(input.prdPath ?? "prd.json", to: settings.projectKey) else {
                throw NonRetriableError("prdPath must lie inside the project")
            }
            guard let data = FileManager.default.contents(atPath: path) else { throw NonRetriableError("no PRD at \(path)") }
            do { prd = try JSON(parsing: String(decoding: data, as: UTF8.self)).decode(LoopPRD.self) } catch {
                throw NonRetriableError("\(path) is not a PRD: \(error)")
            }
        }
        guard !prd.stories.isEmpty else { throw NonRetriableError("the PRD has no stories") }
        for story in prd.stories where !LoopIdentifier.isValid(story.id) {
            throw NonRetriableError("story id \"\(story.id.prefix(80))\" may only hold letters, digits, - and _")
        }
        guard Set(prd.stories.map(\.id)).count == prd.stories.count else { throw NonRetriableError("story ids must be unique") }
        try loop.store.seedStories(settings.loopId, prd: prd, now: loop.now)
        try loop.store.appendProgress(settings.loopId, "## Loop started: \(prd.title)\n\(prd.stories.count) stories; ladder \(settings.retryLadder.joined(separator: ", "))", now: loop.now)
        return prd.stories.count
    }

    /// `path` (absolute, or relative to `project`) when it lies inside the
    /// project after `..` and symbolic links are resolved; nil otherwise, so
    /// event data cannot make the loop read (and hand to an LLM) any other file.
    static func confined(_ path: String, to project: String) -> String? {
        let absolute = path.hasPrefix("/") ? path : project + "/" + path
        return PathContainment.isInside(absolute, project) ? absolute : nil
    }
}
