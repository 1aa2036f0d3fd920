/// Placeholder replaced below.
public struct InfraApplyCommand: CLICommand {
    public static let name = "apply"
    public static let abstract = "Render, validate and install infra/ files; restart what changed."
    public init(_ parsed: ParsedArguments) {}
    public func run(in context: CLIContext) async throws -> ExitCode { .failure }
}
