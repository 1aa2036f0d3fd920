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

    public var description: String {
        switch self {
        case .missingSource(let s): return "content source \(s) does not exist"
        case .unsafePaths(let p): return "refusing to commit paths outside the content directories: \(p.joined(separator: ", "))"
        }
    }
}
