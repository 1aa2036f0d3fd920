import Foundation

/// One file's fate in a content sync.
public struct SyncedFile: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable { case new, updated, deleted }
    public var file: String
    public var status: Status

    public init(file: String, status: Status) {
        self.file = file
        self.status = status
    }
}

/// Makes the `*.md` files of a destination directory equal to the source's:
/// missing files are copied (`new`), differing bytes replaced (`updated`),
/// and (unless `deleteMissing` is off) files gone from the source removed (`deleted`). Files named in the
/// skip list (case-insensitive) are never touched. Running it twice in a row
/// changes nothing the second time.
public enum ContentMirror {
    public static func sync(source: String, destination: String, skipFiles: [String], deleteMissing: Bool = true) throws -> (sourceCount: Int, synced: [SyncedFile]) {
        let fm = FileManager.default
        let skip = Set(skipFiles.map { $0.lowercased() })
        func markdown(in dir: String) throws -> [String] {
            guard fm.fileExists(atPath: dir) else { return [] }
            return try fm.contentsOfDirectory(atPath: dir).filter { name in
                var isDir: ObjCBool = false
                return name.hasSuffix(".md") && !name.hasPrefix(".") && !skip.contains(name.lowercased())
                    && fm.fileExists(atPath: dir + "/" + name, isDirectory: &isDir) && !isDir.boolValue
            }.sorted()
        }
        guard fm.fileExists(atPath: source) else { throw ContentSyncError.missingSource(source) }
        let sourceFiles = try markdown(in: source)
        try fm.createDirectory(atPath: destination, withIntermediateDirectories: true)
        var synced: [SyncedFile] = []
        for name in sourceFiles {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: source + "/" + name))
            let target = destination + "/" + name
            if let existing = fm.contents(atPath: target) {
                if existing != bytes {
                    try AtomicFile.write([UInt8](bytes), to: target)
                    synced.append(SyncedFile(file: name, status: .updated))
                }
            } else {
                try AtomicFile.write([UInt8](bytes), to: target)
                synced.append(SyncedFile(file: name, status: .new))
            }
        }
        let present = Set(sourceFiles)
        for name in try markdown(in: destination) where deleteMissing && !present.contains(name) {
            try fm.removeItem(atPath: destination + "/" + name)
            synced.append(SyncedFile(file: name, status: .deleted))
        }
        return (sourceFiles.count, synced)
    }
}

public enum ContentSyncError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingSource(String)
    /// A path outside the configured content directories would have been committed.
    case unsafePaths([String])
    /// The checkout is on another branch (nil: detached) than the one published.
    case wrongBranch(repository: String, expected: String, actual: String?)
    /// The remote has no such branch (nothing to compare the local commits with).
    case noRemoteBranch(remote: String, branch: String)
    /// The remote has commits the local branch lacks; pushing would be refused or lose them.
    case behindRemote(remote: String, branch: String, commits: Int)
    /// Local commits the sync did not make (`id subject`), which a push would publish.
    case foreignCommits(branch: String, commits: [String])

    public var description: String {
        switch self {
        case .missingSource(let s): return "content source \(s) does not exist"
        case .unsafePaths(let p): return "refusing to commit paths outside the content directories: \(p.joined(separator: ", "))"
        case .wrongBranch(let repo, let expected, let actual):
            return "\(repo) has \(actual.map { "branch \"\($0)\"" } ?? "a detached HEAD") checked out, not \"\(expected)\": "
                + "nothing synced, committed or pushed; check out \"\(expected)\" to resume"
        case .noRemoteBranch(let remote, let branch):
            return "remote \"\(remote)\" has no branch \"\(branch)\": nothing committed or pushed"
        case .behindRemote(let remote, let branch, let n):
            return "\"\(branch)\" lacks \(n) commit\(n == 1 ? "" : "s") of \"\(remote)/\(branch)\": nothing committed or pushed; pull first"
        case .foreignCommits(let branch, let commits):
            return "\"\(branch)\" has local commits the sync did not make (\(commits.joined(separator: "; "))): "
                + "nothing committed or pushed; push or remove them by hand"
        }
    }
}
