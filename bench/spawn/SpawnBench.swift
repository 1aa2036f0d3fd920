import Foundation

/// Spawn latency of `ProcessCommandRunner` (vfork + exec with a parent-death
/// signal on Linux, posix_spawn on macOS) against Foundation's `Process`
/// (posix_spawn) as the baseline, both in the same process, first small, then
/// with a large resident set: a plain fork copies the page tables of the whole
/// process on every spawn and stalls its threads meanwhile; neither may.
@main
struct SpawnBench {
    static func main() async throws {
        let runs = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 200
        let residentMiB = Int(CommandLine.arguments.dropFirst(2).first ?? "") ?? 1024
        print("spawn + wait of /bin/true, \(runs) runs each (mean per run)")
        try await measure("small process", runs: runs)
        let size = residentMiB << 20
        let ballast = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        for i in stride(from: 0, to: size, by: 4096) { ballast[i] = 1 }
        try await measure("\(residentMiB) MiB resident", runs: runs)
        ballast.deallocate()
    }

    static func measure(_ label: String, runs: Int) async throws {
        let runner = ProcessCommandRunner()
        var start = Date()
        for _ in 0..<runs { _ = try await runner.run(Command(["/bin/true"])) }
        let ours = Date().timeIntervalSince(start) / Double(runs)
        start = Date()
        for _ in 0..<runs {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/true")
            try p.run()
            p.waitUntilExit()
        }
        let baseline = Date().timeIntervalSince(start) / Double(runs)
        print(String(format: "%@: ProcessCommandRunner %.2f ms, Foundation.Process (baseline) %.2f ms, ratio %.2f",
                     label, ours * 1000, baseline * 1000, ours / baseline))
    }
}
