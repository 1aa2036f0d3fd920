import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
import TestSupport
@testable import Engine
import InngestProtocol

/// The key file's promises: created once with 0600, read back unchanged, and
/// refused (with the fix in the message) when it is shared, linked or damaged.
@Suite struct EngineKeysTests {
    @Test func generatedKeysParseAsInngestKeysAndDiffer() throws {
        let a = EngineKeys.generate(), b = EngineKeys.generate()
        #expect(a != b)
        #expect(try SigningKey(parsing: a.signingKey).hexBody.count == 64)
        #expect(EngineKeys.isHex64(a.eventKey))
    }

    @Test func createsOnceWith0600AndReadsBack() throws {
        let scratch = try TemporaryDirectory("engine-keys")
        let dir = scratch.path
        let path = dir + "/state/engine-keys.json"
        let first = try EngineKeys.loadOrCreate(path: path)
        let second = try EngineKeys.loadOrCreate(path: path)
        #expect(first.created && !second.created)
        #expect(first.keys == second.keys)
        var status = stat()
        #expect(stat(path, &status) == 0)
        #expect(status.st_mode & 0o777 == 0o600)
    }

    @Test func defaultPathSitsBesideTheDatabase() {
        #expect(EngineKeys.defaultPath(databasePath: "/var/state/joelclaw/engine.sqlite") == "/var/state/joelclaw/engine-keys.json")
        #expect(EngineKeys.defaultPath(databasePath: "engine.sqlite") == "engine-keys.json")
    }

    @Test(arguments: [
        ("", "must hold"),
        ("{}", "must hold"),
        (#"{"signingKey":"signkey-prod-xyz","eventKey":"00"}"#, "must hold"),
        ("\u{0}\u{1}garbage", "must hold"),
    ])
    func damagedFilesAreRefused(_ content: String, _ expected: String) throws {
        let scratch = try TemporaryDirectory("engine-keys")
        let dir = scratch.path
        let path = dir + "/engine-keys.json"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(content.utf8), attributes: [.posixPermissions: 0o600]))
        #expect { try EngineKeys.load(path: path) } throws: { "\($0)".contains(expected) }
    }

    @Test func aFileOthersCanReadIsRefused() throws {
        let scratch = try TemporaryDirectory("engine-keys")
        let dir = scratch.path
        let path = dir + "/engine-keys.json"
        _ = try EngineKeys.loadOrCreate(path: path)
        chmod(path, 0o640)
        #expect { try EngineKeys.load(path: path) } throws: { "\($0)".contains("chmod 600") }
    }

    @Test func aSymbolicLinkIsRefused() throws {
        let scratch = try TemporaryDirectory("engine-keys")
        let dir = scratch.path
        _ = try EngineKeys.loadOrCreate(path: dir + "/real.json")
        try FileManager.default.createSymbolicLink(atPath: dir + "/engine-keys.json", withDestinationPath: dir + "/real.json")
        #expect(throws: EngineKeysError.self) { try EngineKeys.load(path: dir + "/engine-keys.json") }
        #expect(throws: EngineKeysError.self) { try EngineKeys.loadOrCreate(path: dir + "/engine-keys.json") }
    }
}
