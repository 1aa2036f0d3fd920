import Testing
@testable import Ops
import TestSupport

@Suite struct TemplateRendererTests {
    @Test func fillsPlaceholdersAndEscapes() throws {
        let r = TemplateRenderer(values: ["HOME": "/Users/a&b", "PORT": "3111"], escape: TemplateRenderer.xml)
        #expect(try r.render("<string>{{HOME}}:{{PORT}}</string> {not} {{HOME}}", name: "t") == "<string>/Users/a&amp;b:3111</string> {not} /Users/a&amp;b")
        #expect(TemplateRenderer.yamlDoubleQuoted(#"a"b\c"#) == #"a\"b\\c"#)
    }

    @Test func unknownOrMalformedPlaceholdersNameTheLine() {
        let r = TemplateRenderer(values: ["A": "1"])
        #expect(throws: TemplateError(file: "f", line: 2, message: "unknown placeholder {{HOEM}}")) { try r.render("{{A}}\nx {{HOEM}}", name: "f") }
        #expect(throws: TemplateError(file: "f", line: 1, message: "unclosed '{{'")) { try r.render("x {{A", name: "f") }
        #expect(throws: TemplateError(file: "f", line: 1, message: "'{{a b}}' is not a placeholder (names are A-Z, 0-9, _)")) { try r.render("{{a b}}", name: "f") }
    }

    @Test func settingsLayerAndResolve() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("infra.env", "# comment\nTLS_HOST=box.tailnet.test\n\nLOG_DIR={{HOME}}/logs\n")
        let s = try InfraSettings(defaults: [("LOG_DIR", "{{HOME}}/.local/log"), ("TLS_HOST", "localhost"),
                                             ("CERT", "{{HOME}}/certs/{{TLS_HOST}}.crt"), ("PORT", "3111")],
                                  environment: ["HOME": "/h", "USER": "u", "JOELCLAW_UID": "7", "JOELCLAW_PORT": "4000"],
                                  repositoryRoot: "/repo", settingsFile: file)
        #expect(s.values["LOG_DIR"] == "/h/logs")
        #expect(s.values["CERT"] == "/h/certs/box.tailnet.test.crt")
        #expect(s.values["PORT"] == "4000")
        #expect(s.values["UID"] == "7")
        #expect(s.values["REPO"] == "/repo")
    }

    @Test func settingsCyclesAndBadLinesAreErrors() throws {
        #expect { try InfraSettings(defaults: [("A", "{{B}}"), ("B", "{{A}}")], environment: [:], repositoryRoot: "/r") } throws: { "\($0)".contains("cycle") }
        #expect { try InfraSettings(defaults: [("A", "{{NOPE}}")], environment: [:], repositoryRoot: "/r") } throws: { "\($0)".contains("unknown setting {{NOPE}}") }
        let dir = try TemporaryDirectory()
        let file = try dir.write("bad.env", "this is not a setting\n")
        #expect { try InfraSettings(defaults: [], environment: [:], repositoryRoot: "/r", settingsFile: file) } throws: { "\($0)".contains("bad.env:1: expected NAME=value") }
    }
}
