import Foundation

/// Whether a path stays inside a root folder: the one check every effect that
/// takes a path from event data makes (vault notes, scratch folders).
///
/// Judged after `.` and `..` are removed and symbolic links are resolved in
/// both (as far as the path exists), so neither `../` nor a link inside the
/// root that points elsewhere leads out of it.
public enum PathContainment {
    /// True when `path` is `root` itself (only with `allowingRoot`) or lies below it.
    public static func isInside(_ path: String, _ root: String, allowingRoot: Bool = false) -> Bool {
        let p = resolved(path), r = resolved(root)
        if p == r { return allowingRoot }
        return p.hasPrefix(r == "/" ? "/" : r + "/")
    }

    /// `path` with links resolved, when it is absolute and lies below one of
    /// `roots`; nil otherwise. Callers use the returned path, not the one given,
    /// so what was checked is what is used (and it can never look like an option).
    public static func confined(_ path: String, to roots: [String]) -> String? {
        guard path.hasPrefix("/") else { return nil }
        let p = resolved(path)
        return roots.contains { isInside(p, $0) } ? p : nil
    }

    /// For a path on another machine (an SSH archive), where links cannot be
    /// followed: true when `path`, absolute, with `.` and `..` removed, lies
    /// below `root` (or is it, with `allowingRoot`).
    public static func isInsideLexically(_ path: String, _ root: String, allowingRoot: Bool = false) -> Bool {
        guard path.hasPrefix("/"), root.hasPrefix("/") else { return false }
        let p = lexicallyNormalized(path), r = lexicallyNormalized(root)
        if p == r { return allowingRoot }
        return p.hasPrefix(r == "/" ? "/" : r + "/")
    }

    /// An absolute path with empty and `.` components dropped and `..` applied
    /// (never above `/`), without touching the file system.
    public static func lexicallyNormalized(_ path: String) -> String {
        var parts: [Substring] = []
        for component in path.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(component)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// `path` standardized, with symbolic links resolved in its longest existing
    /// prefix (a file about to be written does not exist yet; its folder may be a link).
    static func resolved(_ path: String) -> String {
        var existing = (path as NSString).standardizingPath
        var missing: [String] = []
        while !existing.isEmpty, existing != "/", !FileManager.default.fileExists(atPath: existing) {
            missing.insert((existing as NSString).lastPathComponent, at: 0)
            existing = (existing as NSString).deletingLastPathComponent
        }
        var out = existing.isEmpty ? existing : (existing as NSString).resolvingSymlinksInPath
        for component in missing { out = (out as NSString).appendingPathComponent(component) }
        return out
    }
}
