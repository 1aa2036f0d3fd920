import Foundation
import Testing

/// External programs the tests use. A missing one fails the test with the way
/// to install it; it never makes a test pass vacuously.
enum Tools {
    static func path(of program: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func require(_ program: String, install: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try #require(path(of: program) != nil, "\(program) is not installed (\(install)); ./test.sh installs it",
                     sourceLocation: sourceLocation)
    }
}
