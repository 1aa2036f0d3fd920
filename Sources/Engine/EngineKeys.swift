import Foundation
import JSON
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The embedded engine's own keys, so that by default nobody is trusted: the
/// signing key signs every call to the worker (which verifies it) and is the
/// bearer token `/fn/register`, `/v0` and `/v1` require; the event key is the
/// only one `POST /e/{key}` accepts.
///
/// They are generated on first start and kept in one JSON file beside the
/// engine's database (`{"signingKey":"signkey-prod-…","eventKey":"…"}`), created
/// with mode 0600 and refused when anyone but its owner could read it. The
/// worker and `joelclaw` read the same file, so a fresh machine is closed
/// without anyone typing a key.
public struct EngineKeys: Sendable, Equatable {
    /// `signkey-prod-` and 64 hex digits, the form Inngest's own keys take.
    public let signingKey: String
    /// 64 hex digits.
    public let eventKey: String

    public init(signingKey: String, eventKey: String) {
        self.signingKey = signingKey
        self.eventKey = eventKey
    }

    /// Fresh keys from the system's secure random source.
    public static func generate() -> EngineKeys {
        var random = SystemRandomNumberGenerator()
        func hex() -> String {
            (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &random)) }.joined()
        }
        return EngineKeys(signingKey: "signkey-prod-" + hex(), eventKey: hex())
    }

    /// `engine-keys.json` in the directory of `databasePath`.
    public static func defaultPath(databasePath: String) -> String {
        let directory = (databasePath as NSString).deletingLastPathComponent
        return directory.isEmpty ? "engine-keys.json" : directory + "/engine-keys.json"
    }

    /// Reads the keys at `path`, creating the file with new keys when it does not exist.
    public static func loadOrCreate(path: String) throws -> (keys: EngineKeys, created: Bool) {
        if let keys = try load(path: path) { return (keys, false) }
        let keys = generate()
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            // Another process created it between the two calls: use what it wrote.
            if errno == EEXIST, let keys = try load(path: path) { return (keys, false) }
            throw EngineKeysError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let bytes = keys.json.serializedBytes() + [0x0A]
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            unlink(path)
            throw EngineKeysError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        return (keys, true)
    }

    /// The keys at `path`, or nil when there is no such file. A file that other
    /// users could read, that belongs to someone else, that is a symbolic link,
    /// or that does not hold both keys is an error naming the file and the fix.
    public static func load(path: String) throws -> EngineKeys? {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw EngineKeysError("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            throw EngineKeysError("\(path) is not a regular file")
        }
        guard status.st_uid == geteuid() else {
            throw EngineKeysError("\(path) belongs to another user; the keys must be the worker's own")
        }
        guard status.st_mode & 0o077 == 0 else {
            throw EngineKeysError("\(path) can be read by other users; run chmod 600 \(path)")
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count <= 65_536 {
            let n = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if n < 0 { throw EngineKeysError("cannot read \(path): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            bytes += buffer[0..<n]
        }
        guard let json = try? JSON(parsing: bytes),
              let signing = json["signingKey"]?.stringValue, Self.isSigningKey(signing),
              let event = json["eventKey"]?.stringValue, Self.isHex64(event) else {
            throw EngineKeysError("\(path) must hold {\"signingKey\":\"signkey-prod-<64 hex digits>\",\"eventKey\":\"<64 hex digits>\"}; delete it to generate new keys")
        }
        return EngineKeys(signingKey: signing, eventKey: event)
    }

    var json: JSON { ["signingKey": .string(signingKey), "eventKey": .string(eventKey)] }

    static func isSigningKey(_ text: String) -> Bool {
        text.hasPrefix("signkey-prod-") && isHex64(String(text.dropFirst("signkey-prod-".count)))
    }

    static func isHex64(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

/// Why the key file could not be used; the message names the file and the fix.
public struct EngineKeysError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
