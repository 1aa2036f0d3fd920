import Foundation

/// Removes tool-call noise from session transcripts and observation texts
/// before they reach the observer model or the store:
/// `<toolCall>`/`<arguments>` blocks and their stray tags, `toolu_…` ids,
/// shell tool names, their HTML-escaped forms, and lines that look like shell commands.
public enum ObservationSanitizer {
    private static let blockPatterns = [
        "<toolCall>[\\s\\S]*?</toolCall>", "<arguments>[\\s\\S]*?</arguments>",
        "&lt;toolCall&gt;[\\s\\S]*?&lt;/toolCall&gt;", "&lt;arguments&gt;[\\s\\S]*?&lt;/arguments&gt;",
        "</?toolCall>", "</?arguments>", "&lt;/?toolCall&gt;", "&lt;/?arguments&gt;",
        "<id>\\s*toolu_[A-Za-z0-9_-]*\\s*</id>", "&lt;id&gt;\\s*toolu_[A-Za-z0-9_-]*\\s*&lt;/id&gt;",
        "<name>\\s*(bash|zsh|sh|shell)\\s*</name>", "&lt;name&gt;\\s*(bash|zsh|sh|shell)\\s*&lt;/name&gt;",
    ].map { try! NSRegularExpression(pattern: $0, options: [.caseInsensitive]) }

    private static let leakPattern = try! NSRegularExpression(
        pattern: "toolu_[A-Za-z0-9]|</?toolCall|</?arguments|&lt;/?toolCall|&lt;/?arguments", options: [.caseInsensitive])

    static let commandWords: Set<String> = [
        "git", "bun", "bunx", "npm", "npx", "pnpm", "yarn", "kubectl", "curl", "wget", "docker", "ssh", "scp",
        "ls", "cd", "cat", "grep", "rg", "sed", "awk", "find", "rm", "mv", "cp", "mkdir", "echo", "export",
        "launchctl", "brew", "python", "python3", "node", "swift", "make", "tail", "head", "chmod", "sudo",
    ]

    /// Sanitizes one observation text; nil when nothing meaningful is left.
    public static func sanitizeText(_ text: String) -> String? {
        let cleaned = stripToolNoise(text)
            .split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !leaks(String($0)) }
            .joined(separator: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return cleaned.isEmpty ? nil : cleaned
    }

    /// Sanitizes a whole transcript: also drops shell-command-looking lines.
    public static func sanitizeTranscript(_ text: String) -> String? {
        let cleaned = stripToolNoise(text)
            .split(separator: "\n", omittingEmptySubsequences: false)
            .filter { line in !leaks(String(line)) && !looksLikeShellCommand(String(line)) }
            .joined(separator: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return cleaned.isEmpty ? nil : cleaned
    }

    static func stripToolNoise(_ text: String) -> String {
        blockPatterns.reduce(text) { current, regex in
            regex.stringByReplacingMatches(in: current, range: NSRange(current.startIndex..., in: current), withTemplate: "")
        }
    }

    static func leaks(_ line: String) -> Bool {
        leakPattern.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil
    }

    /// `$ cmd`, `# cmd` (a root prompt), `bash -lc`, code fences, or a known
    /// command word followed by a pipe, a path, a flag or a quote.
    static func looksLikeShellCommand(_ line: String) -> Bool {
        let t = line.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("```") || t.contains("bash -lc") || t.hasPrefix("$ ") { return true }
        let words = t.split(separator: " ", maxSplits: 2).map(String.init)
        if t.hasPrefix("# "), words.count > 1, commandWords.contains(words[1]) { return true }
        guard let first = words.first, commandWords.contains(first), words.count > 1 else { return false }
        let rest = t.dropFirst(first.count)
        return rest.contains("|") || rest.contains("/") || rest.contains(" -") || rest.contains("\"") || rest.contains("'")
    }
}
