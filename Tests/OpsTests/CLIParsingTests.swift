import Foundation
import InngestProtocol
import Testing
@testable import Ops

@Suite struct CLIParsingTests {
    let spec = ArgumentSpec(
        positionals: [.init("event", help: "e")],
        options: [.init("data", short: "d", value: "json", help: "d")],
        flags: [.init("json", help: "j"), .init("dry-run", help: "n")])

    @Test func acceptsTheUsualForms() throws {
        let a = try spec.parse(["x/y", "--data", "{}", "--json"])
        #expect(a.positional("event") == "x/y")
        #expect(a.option("data") == "{}")
        #expect(a.flag("json"))
        let b = try spec.parse(["--data={\"a\":1}", "-d", "{\"b\":2}", "--", "--literal"])
        #expect(b.option("data") == "{\"b\":2}")
        #expect(b.positional("event") == "--literal")
    }

    @Test(arguments: [
        (["--nope"], "Unknown option '--nope'"),
        (["e", "--data"], "Missing value for '--data <json>'"),
        ([String](), "Missing expected argument '<event>'"),
        (["e", "f"], "Unexpected argument 'f'"),
        (["e", "--json=1"], "The flag '--json' does not take a value"),
    ])
    func rejectsWithAMessage(arguments: [String], message: String) {
        #expect(throws: UsageError(message)) { try spec.parse(arguments) }
    }

    @Test func helpWinsOverMissingArguments() throws {
        #expect(try spec.parse(["--help"]).wantsHelp)
        #expect(try spec.parse(["-h", "one", "two", "three"]).wantsHelp)
    }

    @Test(arguments: [["--help"], ["status", "--help"], ["infra", "apply", "--help"], ["send", "-h"], ["runs", "--help"], ["help", "infra", "apply"], ["infra"], []])
    func everyCommandHasHelp(arguments: [String]) async {
        let r = await CLIHarness(environment: [:]).run(arguments)
        #expect(r.code == .success)
        #expect(r.stdout.hasPrefix("OVERVIEW: "))
        #expect(r.stdout.contains("USAGE: joelclaw"))
        #expect(r.stdout.contains("-h, --help"))
        #expect(r.stderr.isEmpty)
    }

    @Test func leafHelpDocumentsExitCodes() async {
        let r = await CLIHarness(environment: [:]).run(["status", "--help"])
        #expect(r.stdout.contains("EXIT CODES:"))
        #expect(r.stdout.contains("--json"))
    }

    @Test(arguments: [["bogus"], ["status", "--bogus"], ["send"], ["runs", "--limit", "0"], ["status", "--timeout", "-1"], ["infra", "destroy"]])
    func usageErrorsGoToStderrWithExit64(arguments: [String]) async {
        let r = await CLIHarness(environment: [:]).run(arguments)
        #expect(r.code == .usage)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.hasPrefix("Error: "))
        #expect(r.stderr.contains("USAGE: joelclaw"))
    }
}

/// One version for the CLI, the worker and the SDK's identity.
@Suite struct CLIVersionTests {
    @Test func versionIsTheSDKs() async {
        let r = await CLIHarness(environment: [:]).run(["--version"])
        #expect(r.code == .success)
        #expect(r.stdout == "joelclaw \(SDKIdentity.version)\n")
    }
}
