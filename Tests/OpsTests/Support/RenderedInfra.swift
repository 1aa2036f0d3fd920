import Foundation
import Subprocess
import JSON
@testable import Ops

/// The repository's infra templates rendered with fixed test settings (no
/// real user, paths under /Users/test), as `infra apply` would render them.
enum RenderedInfra {
    static let environment = ["HOME": "/Users/test", "USER": "test", "JOELCLAW_UID": "501"]

    static func settings(_ extra: [String: String] = [:]) throws -> InfraSettings {
        let manifest = try InfraManifest.load(from: "\(Repository.root)/infra/infra.json")
        let inventory = try Inventory.load(from: "\(Repository.root)/infra/inventory.json")
        return try InfraSettings.forMachine(of: inventory, defaults: manifest.settings, environment: environment.merging(extra) { $1 },
                                            repositoryRoot: "/Users/test/joelclaw", settingsFile: nil)
    }

    static func all() throws -> [RenderedFile] {
        let manifest = try InfraManifest.load(from: "\(Repository.root)/infra/infra.json")
        let applier = InfraApplier(infraDirectory: "\(Repository.root)/infra", root: "/", settings: try settings(),
                                   inventory: nil, commands: ProcessCommandRunner(environment: [:]), output: CapturedOutput())
        return try applier.render(manifest, groups: Array(Set(manifest.files.map(\.group))))
    }

    static func file(_ source: String) throws -> RenderedFile {
        guard let f = try all().first(where: { $0.file.source == source }) else { throw InfraError("no \(source)") }
        return f
    }

    /// Parses YAML with PyYAML in a real python3 subprocess and returns every
    /// document as JSON (installed by test.sh).
    static func yamlDocuments(_ text: String) async throws -> [JSON] {
        let dir = try TemporaryDirectory()
        let path = try dir.write("doc.yaml", text)
        let script = "import json,sys,yaml; print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))"
        let runner = ProcessCommandRunner(environment: ProcessInfo.processInfo.environment)
        let result = try await runner.run(Command("python3", ["-c", script, path], timeout: 30))
        guard result.succeeded else { throw InfraError("PyYAML rejected the file: \(result.stderrText)") }
        return try JSON(parsing: result.stdoutText).arrayValue ?? []
    }
}
