import Foundation

/// Notes on disk: written whole and atomically (a temp file renamed over the
/// target), so a crash leaves either the old note or the new one, never half.
/// The one real implementation is `FileVault`.
public protocol Vault: Sendable {
    var root: String { get }
    /// Writes `text` byte for byte at `relativePath` (directories created).
    /// Returns the absolute path.
    @discardableResult
    func write(_ relativePath: String, _ text: String) throws -> String
    /// The note's text, or nil when it does not exist.
    func read(_ relativePath: String) throws -> String?
    /// Reads, transforms and writes back under a lock, for read-modify-write
    /// updates such as the daily note. `transform` receives nil for a missing file.
    @discardableResult
    func update(_ relativePath: String, _ transform: (String?) throws -> String) throws -> String
}

public struct FileVault: Vault {
    public let root: String
    /// Where `update`'s lock files live (outside the vault, so they never
    /// show up among notes or sync to other devices).
    public let lockDirectory: String

    public init(root: String, lockDirectory: String) {
        self.root = root
        self.lockDirectory = lockDirectory
    }

    public func absolutePath(_ relativePath: String) throws -> String {
        let path = relativePath.hasPrefix("/") ? relativePath : root + "/" + relativePath
        guard PathContainment.isInside(path, root, allowingRoot: true) else {
            throw FileEffectError.outsideRoot(path: path, root: root)
        }
        return (path as NSString).standardizingPath
    }

    @discardableResult
    public func write(_ relativePath: String, _ text: String) throws -> String {
        let path = try absolutePath(relativePath)
        try AtomicFile.write(Array(text.utf8), to: path)
        return path
    }

    public func read(_ relativePath: String) throws -> String? {
        let path = try absolutePath(relativePath)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    @discardableResult
    public func update(_ relativePath: String, _ transform: (String?) throws -> String) throws -> String {
        let path = try absolutePath(relativePath)
        return try FileLock.withExclusiveLock(for: path, in: lockDirectory) {
            let current = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
            let next = try transform(current)
            if next != current { try AtomicFile.write(Array(next.utf8), to: path) }
            return path
        }
    }
}

/// Write-to-temp-then-rename in the target's own directory (rename is atomic
/// only within one file system).
enum AtomicFile {
    static func write(_ bytes: [UInt8], to path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let temp = dir + "/.\((path as NSString).lastPathComponent).\(UUID().uuidString).tmp"
        guard FileManager.default.createFile(atPath: temp, contents: Data(bytes)) else {
            throw FileEffectError.io(path: temp, operation: "create", errno: errno)
        }
        guard rename(temp, path) == 0 else {
            let e = errno
            unlink(temp)
            throw FileEffectError.io(path: path, operation: "rename", errno: e)
        }
    }
}
