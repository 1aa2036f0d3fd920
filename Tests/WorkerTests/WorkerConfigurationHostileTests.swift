import Testing
import WorkerSettings

/// The worker's flags and environment as hostile input: each case is resolved
/// in-process and must end in a clear refusal naming the problem (or, where
/// the value is the operator's call, in a configuration holding it verbatim),
/// never a trap. The `worker-flags` fuzz target drives the same function.
@Suite struct WorkerConfigurationHostileTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let arguments: [String]
        var environment: [String: String] = [:]
        /// Substrings every one of which some problem line contains; empty: the configuration is accepted.
        let problems: [String]
        var testDescription: String { name }
    }

    static let catalogue: [Case] = [
        Case(name: "port past Int64", arguments: ["--port", "99999999999999999999"],
             problems: ["--port=\"99999999999999999999\": must be an integer from 0 to 65535"]),
        Case(name: "port past 65535", arguments: ["--port=65536"], problems: ["--port=\"65536\""]),
        Case(name: "negative port", arguments: ["--port", "-1"], problems: ["--port=\"-1\""]),
        Case(name: "Int64.min body limit", arguments: ["--max-body-bytes=-9223372036854775808"],
             problems: ["--max-body-bytes=\"-9223372036854775808\": must be an integer from 1 to"]),
        Case(name: "UInt64 overflow in the environment", arguments: [], environment: ["WORKER_EVENT_LOOPS": "18446744073709551616"],
             problems: ["WORKER_EVENT_LOOPS=\"18446744073709551616\""]),
        Case(name: "retention days past Int64", arguments: ["--engine-retention-days", "9223372036854775808"],
             problems: ["--engine-retention-days="]),
        Case(name: "infinite seconds", arguments: ["--drain-timeout=1e400"], problems: ["--drain-timeout=\"1e400\": must be a number of seconds"]),
        Case(name: "NaN seconds", arguments: ["--idle-timeout", "nan"], problems: ["--idle-timeout=\"nan\""]),
        Case(name: "zero seconds", arguments: [], environment: ["WORKER_HEADER_TIMEOUT": "0"], problems: ["WORKER_HEADER_TIMEOUT=\"0\""]),
        Case(name: "empty port from the environment", arguments: [], environment: ["WORKER_PORT": ""], problems: ["WORKER_PORT=\"\""]),
        Case(name: "empty host", arguments: ["--host="], problems: ["--host=\"\": must be a host name"]),
        Case(name: "host with a space and a newline", arguments: ["--host", "127.0.0.1 \nINJECTED"],
             problems: ["--host=\"127.0.0.1 \\nINJECTED\""]),
        Case(name: "duplicate flag", arguments: ["--port", "1", "--port=2"], problems: ["--port is given more than once"]),
        Case(name: "flag at the end without a value", arguments: ["--port"], problems: ["--port needs a value"]),
        Case(name: "flag followed by a flag", arguments: ["--port", "--host", "127.0.0.1"], problems: ["--port needs a value"]),
        Case(name: "unknown flag", arguments: ["--bogus", "1"], problems: ["unknown flag \"--bogus\" (see --help)", "unexpected argument \"1\""]),
        Case(name: "bare double dash", arguments: ["--"], problems: ["unknown flag \"--\""]),
        Case(name: "single-dash flag", arguments: ["-p", "80"], problems: ["unexpected argument \"-p\""]),
        Case(name: "unknown flag with control characters", arguments: ["--x\u{1B}[2J\r\nlevel=error"],
             problems: ["unknown flag \"--x\\u{1B}[2J\\r\\nlevel\""]),
        Case(name: "replacement characters from bad UTF-8", arguments: ["--log-level=\u{FFFD}\u{FFFD}"],
             problems: ["--log-level=\"\u{FFFD}\u{FFFD}\": must be one of"]),
        Case(name: "NUL in a path", arguments: ["--engine-db", "/tmp/a\u{0}b"], problems: ["--engine-db=\"/tmp/a\\0b\": must be a file path"]),
        Case(name: "path past PATH_MAX", arguments: ["--inventory", String(repeating: "a/", count: 3000)], problems: ["… (6000 bytes)"]),
        Case(name: "console path climbing with ..", arguments: ["--console-path=/console/../api"], problems: ["--console-path="]),
        Case(name: "console path over another route", arguments: ["--console-path", "/api/inngest"], problems: ["is taken by another route"]),
        Case(name: "engine address with an overflowing port", arguments: ["--engine-address", "[::1]:99999999999999999999"],
             problems: ["--engine-address=\"[::1]:99999999999999999999\": must be host:port"]),
        Case(name: "engine address without a port", arguments: [], environment: ["JOELCLAW_ENGINE_ADDRESS": "localhost"],
             problems: ["JOELCLAW_ENGINE_ADDRESS=\"localhost\""]),
        Case(name: "every problem at once", arguments: ["--port", "x", "--log-level", "loud", "--engine", "both"],
             environment: ["WORKER_IDLE_TIMEOUT": "-3"],
             problems: ["--port=\"x\"", "--log-level=\"loud\"", "--engine=\"both\"", "WORKER_IDLE_TIMEOUT=\"-3\""]),
        // The operator's own choices, kept as given.
        Case(name: "relative paths with .. are the operator's", arguments: ["--inventory", "../infra/inventory.json", "--engine-db=../state/e.sqlite"],
             problems: []),
        Case(name: "value that starts with -- after =", arguments: ["--engine-keys=--keys.json"], problems: []),
        Case(name: "IPv6 engine address", arguments: ["--engine-address", "[::1]:0", "--host", "::1"], problems: []),
    ]

    @Test(arguments: catalogue)
    func hostileInputIsRefusedClearlyOrKeptVerbatim(_ hostile: Case) {
        let outcome = WorkerConfiguration.resolve(arguments: hostile.arguments, environment: hostile.environment)
        switch outcome {
        case .invalid(let problems):
            #expect(!hostile.problems.isEmpty, "refused: \(problems)")
            for expected in hostile.problems {
                #expect(problems.contains { $0.contains(expected) }, "no problem mentions \(expected): \(problems)")
            }
            for problem in problems {
                #expect(!problem.unicodeScalars.contains { $0.value < 0x20 }, "raw control character in \(problem.debugDescription)")
                #expect(problem.count < 400, "problem line of \(problem.count) characters")
            }
        case .run(let configuration):
            #expect(hostile.problems.isEmpty, "accepted, expected \(hostile.problems)")
            for (index, argument) in hostile.arguments.enumerated() where argument.hasPrefix("--") {
                let flag = String(argument.dropFirst(2).prefix { $0 != "=" })
                let given = argument.contains("=") ? String(argument.drop { $0 != "=" }.dropFirst()) : hostile.arguments[index + 1]
                let option = WorkerOption.all.first { $0.flag == flag }
                #expect(option.map(configuration.string) == given, "--\(flag) not kept verbatim")
            }
        default:
            Issue.record("neither refused nor accepted: \(outcome)")
        }
    }

    @Test func flagsBeatEnvironmentWhichBeatsDefaults() throws {
        guard case .run(let configuration) = WorkerConfiguration.resolve(
            arguments: ["--port", "0"], environment: ["WORKER_PORT": "not-a-port", "WORKER_MAX_CONNECTIONS": "7"]) else {
            Issue.record("refused"); return
        }
        #expect(configuration.port == 0)
        #expect(configuration.server.maxConnections == 7)
        #expect(configuration.server.limits.maxBodyBytes == 16_777_216)
        #expect(configuration.engineAddress != nil)
    }

    @Test func helpAndVersionWinOverOtherArguments() {
        guard case .help(let text) = WorkerConfiguration.resolve(arguments: ["--bogus", "--help"], environment: [:]) else {
            Issue.record("no help"); return
        }
        for option in WorkerOption.all { #expect(text.contains("--\(option.flag)") && text.contains(option.environment)) }
        guard case .version = WorkerConfiguration.resolve(arguments: ["--version"], environment: ["WORKER_PORT": "x"]) else {
            Issue.record("no version"); return
        }
    }

    @Test func aHugeValueIsShownCutWithItsLength() {
        let huge = String(repeating: "9", count: 1_000_000)
        guard case .invalid(let problems) = WorkerConfiguration.resolve(arguments: ["--port", huge], environment: [:]) else {
            Issue.record("accepted a million digits"); return
        }
        #expect(problems.count == 1)
        #expect(problems[0].contains("… (1000000 bytes)"))
        #expect(problems[0].count < 200)
    }
}
