import Hashing

/// File-name slugs for titles, exactly as the vault's existing notes and
/// archive folders were named, so they keep their names.
public enum Slug {
    /// Lowercase; drop everything but `[a-z0-9]`, whitespace and `-`; whitespace
    /// runs become `-`; repeated `-` collapse; at most 80 characters; one
    /// trailing `-` removed.
    ///
    /// A title with nothing left (Japanese, Cyrillic, emoji only, punctuation)
    /// becomes `untitled-<12 hex digits of the title's SHA-256>`: still a valid
    /// file name, the same for the same title (a retry finds its own files),
    /// and different for different titles (they never share a note or folder).
    public static func make(_ title: String) -> String {
        let slug = latin(title)
        return slug.isEmpty ? "untitled-" + Digest.sha256Hex(title).prefix(12) : slug
    }

    static func latin(_ title: String) -> String {
        var kept = ""
        for scalar in title.lowercased().unicodeScalars {
            let isWord = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "-"
            if isWord { kept.unicodeScalars.append(scalar) } else if scalar.properties.isWhitespace { kept.append(" ") }
        }
        var slug = ""
        var lastWasSpace = false
        for ch in kept {
            if ch == " " {
                if !lastWasSpace { slug.append("-") }
                lastWasSpace = true
            } else {
                slug.append(ch)
                lastWasSpace = false
            }
        }
        while slug.contains("--") { slug = slug.replacingOccurrences(of: "--", with: "-") }
        slug = String(slug.prefix(80))
        if slug.hasSuffix("-") { slug.removeLast() }
        return slug
    }
}
