import Foundation
import Subprocess

// Runs its arguments as one command through ProcessCommandRunner and waits for
// it: the parent that SubprocessTests kills with SIGKILL to check that the
// programs a worker started die with it.
let argv = Array(CommandLine.arguments.dropFirst())
guard !argv.isEmpty else {
    print("usage: SpawnHarness <program> [argument…]")
    exit(2)
}
let result = try await ProcessCommandRunner().run(Command(argv, timeout: 600))
exit(result.exitCode)
