import Foundation

/// The one key loop state is filed under per project: the project's absolute
/// path with `.`/`..` resolved, symlinks followed and no trailing slash.
/// Retro writes recommendations and the planner reads them through this same
/// function, so a loop always finds what the previous loop on that project
/// learned (never keyed by a worktree path, which changes every loop).
public enum ProjectKey {
    public static func normalise(_ path: String) -> String {
        let standard = (path as NSString).standardizingPath
        let resolved = (standard as NSString).resolvingSymlinksInPath
        return resolved.count > 1 && resolved.hasSuffix("/") ? String(resolved.dropLast()) : resolved
    }
}

/// Loop and story ids become branch names, file names and commit-message
/// text, so only a small alphabet is accepted: letters, digits, `-` and `_`,
/// not starting with `-` (nothing from an event may look like an option).
public enum LoopIdentifier {
    public static func isValid(_ id: String) -> Bool {
        guard !id.isEmpty, id.count <= 80, id.first != "-" else { return false }
        return id.unicodeScalars.allSatisfy { c in
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "-" || c == "_"
        }
    }

    /// `loop-<milliseconds base36>-<6 random base36>`, as the CLI mints them.
    public static func make(now: Date, random: () -> UInt64 = { UInt64.random(in: 0..<UInt64.max) }) -> String {
        let ms = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        let suffix = String(random() % 2_176_782_336, radix: 36)  // 36^6
        return "loop-\(String(ms, radix: 36))-\(String(repeating: "0", count: 6 - suffix.count) + suffix)"
    }
}
