import Foundation
import Testing
@testable import Functions
import TestSupport

/// Paths from event data stay inside their roots: `..`, absolute paths and
/// symbolic links inside the root that lead out are all refused.
@Suite struct PathContainmentTests {
    @Test func dotDotAndAbsolutePathsStayOut() throws {
        let dir = try TemporaryDirectory()
        let root = dir.file("root")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        #expect(PathContainment.isInside(root + "/notes/a.md", root))
        #expect(!PathContainment.isInside(root + "/../outside.md", root))
        #expect(!PathContainment.isInside(root + "-sibling/a.md", root))
        #expect(!PathContainment.isInside(root, root))
        #expect(PathContainment.isInside(root, root, allowingRoot: true))
        #expect(!PathContainment.isInside("/etc/passwd", root))
    }

    @Test func aLinkInsideTheRootCannotLeadOut() throws {
        let dir = try TemporaryDirectory()
        try dir.write("vault/ok.md", "x")
        try dir.write("outside/secret.md", "secret")
        try FileManager.default.createSymbolicLink(atPath: dir.file("vault/escape"), withDestinationPath: dir.file("outside"))
        #expect(!PathContainment.isInside(dir.file("vault/escape/secret.md"), dir.file("vault")))
        #expect(!PathContainment.isInside(dir.file("vault/escape/new/note.md"), dir.file("vault")))
        // A root reached through a link is still its own inside.
        try FileManager.default.createSymbolicLink(atPath: dir.file("vault-link"), withDestinationPath: dir.file("vault"))
        #expect(PathContainment.isInside(dir.file("vault-link/ok.md"), dir.file("vault")))

        let vault = FileVault(root: dir.file("vault"), lockDirectory: dir.file("run/locks"))
        #expect(throws: FileEffectError.self) { try vault.write("escape/secret.md", "overwritten") }
        #expect(try dir.read("outside/secret.md") == "secret")
        #expect(try vault.write("notes/new.md", "fine") == dir.file("vault/notes/new.md"))
    }

    @Test func confinedGivesTheResolvedPathOrNothing() throws {
        let dir = try TemporaryDirectory()
        try dir.write("media/a.mp4", "x")
        try dir.write("outside/b.mp4", "x")
        try FileManager.default.createSymbolicLink(atPath: dir.file("media/link"), withDestinationPath: dir.file("outside"))
        let roots = [dir.file("scratch"), dir.file("media")]
        #expect(PathContainment.confined(dir.file("media/./sub/../a.mp4"), to: roots) == PathContainment.resolved(dir.file("media/a.mp4")))
        #expect(PathContainment.confined(dir.file("media/link/b.mp4"), to: roots) == nil)
        #expect(PathContainment.confined("media/a.mp4", to: roots) == nil, "relative paths are refused")
        #expect(PathContainment.confined("--output-dir=" + dir.file("media/a.mp4"), to: roots) == nil)
        #expect(PathContainment.confined(dir.file("media"), to: roots) == nil, "a root itself is no file inside it")
    }

    @Test func lexicalCheckForPathsOnAnotherMachine() {
        #expect(PathContainment.lexicallyNormalized("/a//b/./c/../d/") == "/a/b/d")
        #expect(PathContainment.lexicallyNormalized("/../../x") == "/x")
        #expect(PathContainment.isInsideLexically("/archive/2026/./talk", "/archive"))
        #expect(PathContainment.isInsideLexically("/archive", "/archive/", allowingRoot: true))
        #expect(!PathContainment.isInsideLexically("/archive/../etc", "/archive"))
        #expect(!PathContainment.isInsideLexically("/archive-2/x", "/archive"))
        #expect(!PathContainment.isInsideLexically("archive/x", "/archive"))
    }
}
