/// Base directories derived from the environment at run time (XDG Base
/// Directory spec with its documented fallbacks), so no default ever names a
/// particular person's home.
struct XDGPaths: Sendable {
    let home: String
    let configHome: String
    let dataHome: String
    let stateHome: String
    let tmp: String

    init(environment: [String: String]) {
        func nonEmpty(_ key: String) -> String? {
            guard let v = environment[key], !v.isEmpty else { return nil }
            return v.hasSuffix("/") && v.count > 1 ? String(v.dropLast()) : v
        }
        let home = nonEmpty("HOME") ?? "/tmp"
        self.home = home
        configHome = nonEmpty("XDG_CONFIG_HOME") ?? home + "/.config"
        dataHome = nonEmpty("XDG_DATA_HOME") ?? home + "/.local/share"
        stateHome = nonEmpty("XDG_STATE_HOME") ?? home + "/.local/state"
        tmp = nonEmpty("TMPDIR") ?? "/tmp"
    }

    /// Expands a leading `~/` so config files can stay portable between machines.
    func expand(_ path: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst(1) }
        return path
    }
}
