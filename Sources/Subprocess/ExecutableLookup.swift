import Foundation

/// Finds the file a program name runs, the way a shell does: a name with a
/// slash is taken as is; any other name is searched on `PATH`, in order.
/// Done here rather than by `posix_spawnp` so the lookup uses the runner's
/// `PATH` (not the worker's) and a missing tool gets its own clear error.
struct ExecutableLookup {
    let directories: [String]

    /// `path` is a `PATH` value; unset means the shell's usual default.
    init(path: String?) {
        directories = (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init).filter { !$0.isEmpty }
    }

    /// The path to spawn, or nil when a bare name is on no `PATH` directory.
    /// A path is returned unchecked: spawning it reports exactly what is wrong.
    func resolve(_ name: String) -> String? {
        if name.contains("/") { return name }
        for dir in directories {
            let candidate = "\(dir)/\(name)"
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
        }
        return nil
    }
}
