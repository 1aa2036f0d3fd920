import Foundation
import WorkerSettings

/// `worker-flags`: the worker's flag and environment resolution
/// (`WorkerConfiguration.resolve`). Input: arguments separated by NUL, an
/// empty argument (two NULs in a row) ending them, then environment entries
/// `NAME=value` separated by NUL. Bytes become strings as the process
/// receives them (invalid UTF-8 repaired), so any byte may appear in a value.
///
/// Checked beyond "no crash, no hang": resolving is a function of its input;
/// an accepted configuration passes every option's check and builds a server
/// configuration within the checked ranges; a refused one has at least one
/// problem and no problem line contains a raw control character or runs
/// past a bounded length, however long the input.
func fuzzWorkerFlags(_ bytes: [UInt8]) {
    var input = FuzzInput(bytes)
    var arguments: [String] = []
    while !input.isEmpty {
        let field = input.field()
        if field.isEmpty { break }
        arguments.append(String(decoding: field, as: UTF8.self))
    }
    var environment: [String: String] = [:]
    while !input.isEmpty {
        let entry = String(decoding: input.field(), as: UTF8.self)
        let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard let name = parts.first, !name.isEmpty else { continue }
        environment[String(name)] = parts.count > 1 ? String(parts[1]) : ""
    }

    let outcome = WorkerConfiguration.resolve(arguments: arguments, environment: environment)
    let again = WorkerConfiguration.resolve(arguments: arguments, environment: environment)
    switch (outcome, again) {
    case (.run(let configuration), .run(let second)):
        for option in WorkerOption.all {
            let value = configuration.string(option)
            if let problem = option.check(value) { fatalError("accepted --\(option.flag)=\(value.debugDescription): \(problem)") }
            guard second.string(option) == value else { fatalError("resolution differs for --\(option.flag)") }
        }
        let server = configuration.server
        guard (0...65_535).contains(server.port), server.maxConnections >= 1, server.limits.maxBodyBytes >= 1,
              server.headerReadTimeout > 0, server.idleTimeout > 0, configuration.drainTimeout > 0
        else { fatalError("accepted configuration outside its checks: \(arguments) \(environment)") }
        guard configuration.engineAddress != nil else { fatalError("accepted an engine address that does not parse") }
    case (.invalid(let problems), .invalid(let second)):
        guard !problems.isEmpty, problems == second else { fatalError("refusal without problems, or differing problems") }
        for problem in problems {
            guard !problem.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                fatalError("problem line carries a raw control character: \(problem.debugDescription)")
            }
            // A shown value is at most `shownLimit` characters, each escaped to at most 10 (`\u{10FFFF}`), plus the message.
            guard problem.count <= WorkerConfiguration.shownLimit * 10 + 300 else {
                fatalError("problem line of \(problem.count) characters")
            }
        }
    case (.help(let text), .help(let second)):
        guard !text.isEmpty, text == second else { fatalError("help differs") }
    case (.version, .version):
        break
    default:
        fatalError("resolving the same input twice gave different outcomes")
    }
}
