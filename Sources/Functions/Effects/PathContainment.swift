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
