import JSON

extension AgentLoopConfig {
    /// Reads the `agentLoop` settings object; every key is optional.
    ///
    /// ```json
    /// {"agentLoop": {"targetBranch": "main", "tools": {"aider": {"argv": ["aider", "--yes"], "timeout": 600}},
    ///                "checks": {"*": [{"kind": "test", "argv": ["swift", "test"]}]}}}
    /// ```
    init(_ s: SettingsReader, scratchDir: String, xdg: XDGPaths) throws {
        try s.rejectUnknown(["worktreeRoot", "outputDir", "targetBranch", "remote", "tools", "defaultLadder", "checks",
                             "leaseSeconds", "stateTTLSeconds", "judgePassesWhenLLMUnavailable", "checkTimeout"])
        var tools = CodingToolConfig.defaults
        let toolsReader = try s.object("tools")
        for name in toolsReader.object.keys {
            let t = try toolsReader.object(name)
            try t.rejectUnknown(["argv", "timeout"])
            guard let argv = try t.command("argv") else { throw ConfigError("agentLoop.tools.\(name).argv is required") }
            tools[name] = CodingToolConfig(argv: argv, timeout: try t.double("timeout") ?? 900)
        }
        var checks: [String: [CheckCommand]] = [:]
        let checksReader = try s.object("checks")
        for project in checksReader.object.keys {
            guard let list = checksReader.object[project]?.arrayValue else {
                throw ConfigError("agentLoop.checks.\(project) must be an array of {kind, argv}")
            }
            let key = project == "*" ? project : ProjectKey.normalise(xdg.expand(project))
            checks[key] = try list.map { item in
                guard let kind = item["kind"]?.stringValue.flatMap(CheckCommand.Kind.init(rawValue:)),
                      let argv = item["argv"]?.arrayValue?.compactMap(\.stringValue), !argv.isEmpty else {
                    throw ConfigError("agentLoop.checks.\(project) entries need kind (typecheck|lint|test) and a non-empty argv")
                }
                return CheckCommand(kind: kind, argv: argv)
            }
        }
        let unavailable = s.object["judgePassesWhenLLMUnavailable"]
        if let unavailable, unavailable.boolValue == nil, !unavailable.isNull {
            throw ConfigError("agentLoop.judgePassesWhenLLMUnavailable must be true or false")
        }
        self.init(worktreeRoot: try s.path("worktreeRoot", xdg) ?? scratchDir + "/agent-loop/worktrees",
                  outputDir: try s.path("outputDir", xdg) ?? scratchDir + "/agent-loop/runs",
                  targetBranch: try s.string("targetBranch") ?? "main",
                  remote: try s.string("remote") ?? "origin",
                  tools: tools,
                  defaultLadder: try s.strings("defaultLadder") ?? ["codex", "claude", "codex"],
                  checks: checks,
                  leaseSeconds: try s.double("leaseSeconds") ?? 1800,
                  stateTTLSeconds: try s.double("stateTTLSeconds") ?? 7 * 86_400,
                  judgePassesWhenLLMUnavailable: unavailable?.boolValue ?? false,
                  checkTimeout: try s.double("checkTimeout") ?? 600)
    }
}
