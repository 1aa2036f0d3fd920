import Foundation

/// The environment for a worker (or other program) a test starts: this
/// process's environment without any Inngest setting a developer's shell may
/// carry, so the child's choice of engine and keys is the test's alone, then
/// `overrides` on top.
public enum ChildEnvironment {
    public static let inngestVariables = ["INNGEST_DEV", "INNGEST_BASE_URL", "INNGEST_API_BASE_URL",
                                          "INNGEST_EVENT_API_BASE_URL", "INNGEST_SIGNING_KEY",
                                          "INNGEST_SIGNING_KEY_FALLBACK", "INNGEST_EVENT_KEY"]

    public static func make(_ overrides: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in inngestVariables { environment[name] = nil }
        environment.merge(overrides) { $1 }
        return environment
    }
}
