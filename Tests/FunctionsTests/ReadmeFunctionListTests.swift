import Foundation
import Testing
@testable import Functions

/// The README's list of functions is derived, not written twice: this test
/// keeps its count and ids equal to what `allFunctions` registers.
@Suite struct ReadmeFunctionListTests {
    static let numberWords = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                              "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                              "eighteen", "nineteen", "twenty"]

    @Test func readmeNamesEveryRegisteredFunction() throws {
        let harness = try FunctionsHarness()
        let ids = allFunctions(services: harness.services).map(\.id)
        var root = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) { root.deleteLastPathComponent() }
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "The worker serves "), "README: the sentence listing the functions is gone")
        // The sentence that lists them: up to its full stop.
        let paragraph = readme[start.upperBound...].components(separatedBy: ". ")[0]
        let countWord = String(paragraph.prefix { $0 != " " })
        let count = Self.numberWords.firstIndex(of: countWord).map { $0 + 1 } ?? Int(countWord)
        #expect(count == ids.count, "README says '\(countWord) functions'; allFunctions registers \(ids.count)")
        let listed = paragraph.components(separatedBy: "`").enumerated()
            .filter { $0.offset % 2 == 1 && !$0.element.hasPrefix("Sources/") }.map(\.element)
        #expect(Set(listed) == Set(ids), "README lists \(listed.sorted()); allFunctions registers \(ids.sorted())")
        #expect(listed.count == Set(listed).count, "README lists a function twice: \(listed)")
    }
}
