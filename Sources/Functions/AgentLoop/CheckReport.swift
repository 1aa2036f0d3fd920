import Foundation

/// What review's checks found in the worktree, passed to the judge.
public struct CheckReport: Codable, Sendable, Equatable {
    public struct Result: Codable, Sendable, Equatable {
        public var kind: CheckCommand.Kind
        public var command: String
        public var exitCode: Int32?
        /// The last part of the output (the summary lines are at the end).
        public var output: String
        public var ok: Bool { exitCode == 0 }
    }
    public var results: [Result]
    public var testsPassed: Int
    public var testsFailed: Int

    public var typecheckOk: Bool { results.filter { $0.kind == .typecheck }.allSatisfy(\.ok) }
    public var lintOk: Bool { results.filter { $0.kind == .lint }.allSatisfy(\.ok) }
    public var testsOk: Bool { results.contains { $0.kind == .test } && results.filter { $0.kind == .test }.allSatisfy(\.ok) && testsFailed == 0 }

    /// The mechanical gate failures, one line each; empty when every check passed.
    /// No test command at all is a failure: nothing proved the story.
    public var failures: [String] {
        var lines: [String] = []
        if !typecheckOk { lines.append("Typecheck failed.") }
        if !lintOk { lines.append("Lint failed.") }
        if !results.contains(where: { $0.kind == .test }) { lines.append("No test command is configured for this project.") }
        else if !testsOk { lines.append("\(max(testsFailed, 1)) test(s) failed.") }
        return lines
    }
}

/// Pass and fail counts from test runners' summaries: pytest (`3 passed, 1
/// failed`), unittest (`Ran 4 tests` … `FAILED (failures=1, errors=1)`),
/// bun/jest-like (`3 pass`, `1 fail`), TAP (`ok`/`not ok` lines) and Swift
/// (`Executed 4 tests, with 1 failure`).
public enum TestCounts {
    public static func parse(_ output: String) -> (passed: Int, failed: Int)? {
        if let ran = number(before: " test", after: "Ran ", in: output) {
            let failed = (number(after: "failures=", in: output) ?? 0) + (number(after: "errors=", in: output) ?? 0)
            return (max(0, ran - failed), failed)
        }
        if let executed = number(after: "Executed ", in: output) {
            let failed = number(after: "with ", in: output) ?? 0
            return (max(0, executed - failed), failed)
        }
        let passed = number(before: " passed", in: output) ?? number(before: " pass", in: output)
        let failed = number(before: " failed", in: output) ?? number(before: " fail", in: output)
        if passed != nil || failed != nil { return (passed ?? 0, failed ?? 0) }
        let lines = output.split(separator: "\n")
        let ok = lines.filter { $0.hasPrefix("ok ") }.count, notOk = lines.filter { $0.hasPrefix("not ok ") }.count
        return ok + notOk > 0 ? (ok, notOk) : nil
    }

    /// The digits right after the last `marker` (bounded, so no overflow).
    static func number(after marker: String, in text: String) -> Int? {
        guard let range = text.range(of: marker, options: .backwards) else { return nil }
        let digits = text[range.upperBound...].prefix { $0.isASCII && $0.isNumber }.prefix(9)
        return Int(digits)
    }

    /// The digits right before the last `marker` (optionally after `prefix`).
    static func number(before marker: String, after prefix: String = "", in text: String) -> Int? {
        var search = text[...]
        while let range = search.range(of: marker, options: .backwards) {
            let head = search[..<range.lowerBound]
            let digits = String(head.reversed().prefix { $0.isASCII && $0.isNumber }.reversed())
            let beforeDigits = head.dropLast(digits.count)
            if !digits.isEmpty, digits.count <= 9, prefix.isEmpty || beforeDigits.hasSuffix(prefix) { return Int(digits) }
            search = head
        }
        return nil
    }
}
