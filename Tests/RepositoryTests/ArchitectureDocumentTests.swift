import Foundation
import Testing

/// `docs/architecture.md` and the README's layout table describe the modules
/// `Package.swift` declares: the graph is regenerated from the manifest and
/// must match the page, every module has a row, and imports only point down
/// the table.
@Suite struct ArchitectureDocumentTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test func theArchitecturePageShowsTheManifestsGraph() throws {
        let manifest = try PackageManifest.load(root: Self.root)
        let page = try String(contentsOfFile: Self.root + "/docs/architecture.md", encoding: .utf8)
        let begin = "<!-- module graph: generated from Package.swift, kept true by Tests/RepositoryTests -->\n"
        let end = "\n<!-- end of module graph -->"
        let start = try #require(page.range(of: begin), "docs/architecture.md lacks the graph markers")
        let stop = try #require(page.range(of: end, range: start.upperBound..<page.endIndex))
        let shown = String(page[start.upperBound..<stop.lowerBound])
        #expect(shown == manifest.mermaid, "replace the graph in docs/architecture.md with:\n\(manifest.mermaid)")
    }

    @Test func theReadmeLayoutTableHasEveryModuleInImportOrder() throws {
        let manifest = try PackageManifest.load(root: Self.root)
        let readme = try String(contentsOfFile: Self.root + "/README.md", encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Layout").dropFirst().first?.components(separatedBy: "\n## ").first)
        // Each table row's second column names folders: `Sources/X`, or `Sources/C*` for the system libraries.
        var rowOf: [String: Int] = [:]
        let rows = section.split(separator: "\n").filter { $0.hasPrefix("| `") }
        for (i, row) in rows.enumerated() {
            let columns = row.split(separator: "|", omittingEmptySubsequences: false)
            guard columns.count > 2 else { continue }
            for folder in columns[2].split(separator: ",").map({ $0.trimmingCharacters(in: CharacterSet(charactersIn: " `")) }) {
                let matching = manifest.shipped.filter { folder.hasSuffix("*") ? $0.path.hasPrefix(folder.dropLast()) : $0.path == folder }
                #expect(!matching.isEmpty, "README layout row names \(folder), which Package.swift does not declare")
                for target in matching { rowOf[target.name] = i }
            }
        }
        for target in manifest.shipped {
            guard let row = rowOf[target.name] else {
                Issue.record("README layout table has no row for \(target.name) (\(target.path))"); continue
            }
            for dep in target.dependencies {
                guard let depRow = rowOf[dep] else { continue }
                #expect(depRow < row || (depRow == row && dep != target.name),
                        "\(target.name) imports \(dep), which the README lists below it")
            }
        }
    }

    @Test func theManifestReaderSeesDependenciesAndPaths() throws {
        let manifest = try PackageManifest(text: """
            targets: [
            // a comment (with "quotes" and .target(name: "Nope")
            .systemLibrary(name: "CX", path: "Sources/CX"),
            .target(name: "A", dependencies: ["CX", .target(name: "CY", condition: .when(platforms: [.linux]))]),
            .executableTarget(name: "App", dependencies: ["A"], path: "bench/app"),
            .testTarget(name: "ATests", dependencies: ["A"]),
            ]
            """)
        #expect(manifest.targets.map(\.name) == ["CX", "A", "App", "ATests"])
        #expect(manifest.targets[1].dependencies == ["CX", "CY"])
        #expect(manifest.shipped.map(\.name) == ["CX", "A"])
        #expect(manifest.targets[3].path == "Tests/ATests")
    }
}
