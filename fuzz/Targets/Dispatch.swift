import Foundation

// libFuzzer's entry point for every target in this binary. The target is
// chosen once, from the FUZZ_TARGET environment variable (fuzz/run.sh sets
// it), so one build serves all of them.
//
// Each target is a function `([UInt8]) -> Void` that must neither crash nor
// hang on any input; several also check invariants and stop the process with
// `fatalError` when one is broken, which libFuzzer records as a crash.

let fuzzTargets: [String: ([UInt8]) -> Void] = [
    "http-parser": fuzzHTTPParser,
    "signature": fuzzSignature,
    "serve-handler": fuzzServeHandler,
    "call-request": fuzzCallRequest,
    "json": fuzzJSON,
    "engine-api": fuzzEngineAPI,
    "expression": fuzzExpression,
    "cron": fuzzCron,
    "inventory": fuzzInventory,
    "config": fuzzConfiguration,
    "agent-loop": fuzzAgentLoop,
    "console": fuzzConsole,
    "console-replies": fuzzConsoleReplies,
    "worker-flags": fuzzWorkerFlags,
]

nonisolated(unsafe) let selectedTarget: ([UInt8]) -> Void = {
    let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
    guard let target = fuzzTargets[name] else {
        fatalError("set FUZZ_TARGET to one of: \(fuzzTargets.keys.sorted().joined(separator: ", "))")
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    selectedTarget(bytes)
    return 0
}

// SwiftPM links executables on Linux with `main` aliased to `<module>_main`,
// so this binary provides that symbol and hands control to libFuzzer's driver
// (which `main` would otherwise have been, with `-sanitize=fuzzer`).
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<Int32>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

@_cdecl("fuzzers_main")
public func fuzzersMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
