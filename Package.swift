// swift-tools-version:6.0
//
// The joelclaw system bus: a Swift worker for Inngest durable functions.
//
// No package dependencies by design: Foundation, Dispatch, Glibc/Darwin and
// three Debian C libraries (libsqlite3, libcrypto, libssl) reached through
// system-library targets. Imports only point down this list:
//
//   CSQLite, CCrypto   system libraries
//   CLinux             Linux calls Glibc leaves out (epoll, accept4, the spawn's fork/exec)
//   CTLS               OpenSSL's libssl: https for the socket client on Linux
//                      (Apple platforms use URLSession, so no libcurl anywhere)
//   Support            the structured logger, log levels, RFC 3339 timestamps, a lock box
//                      and deadlines: what every module may use
//   JSON, Hashing      JSON value/reader/writer/RFC 8785; SHA-1/SHA-256/HMAC, FNV-1a
//   HTTP               HTTP/1.1 server on POSIX sockets and an HTTP client
//                      (request/response values shared by both); knows nothing of Inngest
//   SQLite             a small Swift wrapper over libsqlite3
//   InngestProtocol    the Inngest SDK: wire types, signing, step runtime, and the
//                      serve handler, a pure function HTTPRequest -> HTTPResponse
//   Engine             the embedded Inngest-compatible engine
//   Monitoring         the worker's runtime metrics (/metrics) and its /health self-report
//   Subprocess         runs external programs: own process group, timeouts and
//                      cancellation kill the whole group, and programs die with the worker
//   Ops                inventory, health checks, infra rendering/apply, the joelclaw
//                      commands (Inngest through the SDK's clients, the engine's key file)
//   Functions          the ported functions and the effects they use
//   Console            the web console: server-rendered pages over the Inngest REST
//                      API and Ops' status (knows nothing of the functions)
//   LoopConsole        the agent loop's state store read for the console's Loops page
//   WorkerSettings     the worker's flags and environment variables, resolved and checked
//   Worker, joelclaw   executables
import PackageDescription

let package = Package(
    name: "joelclaw-system-bus",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "InngestSDK", targets: ["InngestProtocol"]),
        .executable(name: "worker", targets: ["Worker"]),
        .executable(name: "joelclaw", targets: ["JoelclawCLI"]),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CTLS", path: "Sources/CTLS", pkgConfig: "libssl",
                       providers: [.apt(["libssl-dev"])]),
        // epoll, accept4 and fork/exec with a parent-death signal, which Swift's Glibc
        // module leaves out or Swift cannot call (header only, nothing linked).
        .systemLibrary(name: "CLinux", path: "Sources/CLinux"),

        // libm is linked explicitly: JSON uses no Foundation, and on Linux the
        // rounding functions it calls live in libm.
        .target(name: "JSON", linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]),
        .target(name: "Hashing", dependencies: [
            .target(name: "CCrypto", condition: .when(platforms: [.linux])),
        ]),
        // Logging, timestamps and a lock box: what every module may use.
        .target(name: "Support"),
        .target(name: "HTTP", dependencies: [
            "Support",
            .target(name: "CLinux", condition: .when(platforms: [.linux])),
            .target(name: "CTLS", condition: .when(platforms: [.linux])),
        ]),
        .target(name: "SQLite", dependencies: ["CSQLite"]),
        .target(name: "InngestProtocol", dependencies: ["Support", "JSON", "Hashing", "HTTP"]),
        .target(name: "Engine", dependencies: ["Support", "InngestProtocol", "JSON", "Hashing", "HTTP", "SQLite"]),
        .target(name: "Subprocess", dependencies: [
            .target(name: "CLinux", condition: .when(platforms: [.linux])),
        ]),
        // The worker's runtime metrics (/metrics) and its /health self-report.
        .target(name: "Monitoring", dependencies: ["Support", "HTTP", "JSON", "InngestProtocol"]),
        .target(name: "Ops", dependencies: ["Support", "JSON", "HTTP", "Subprocess", "InngestProtocol", "Engine"]),
        .target(name: "Functions", dependencies: ["Support", "InngestProtocol", "JSON", "Hashing", "HTTP", "SQLite", "Ops", "Subprocess"]),
        .target(name: "Console", dependencies: ["Support", "HTTP", "JSON", "Hashing", "InngestProtocol", "Ops"]),
        // Functions' loop state store read as Console's loops: the one module that knows both.
        .target(name: "LoopConsole", dependencies: ["Console", "Functions"]),
        // The worker's flags and environment variables: a library so the fuzzer and unit tests reach them.
        .target(name: "WorkerSettings", dependencies: ["Support", "HTTP", "Engine"]),
        .executableTarget(name: "Worker", dependencies: [
            "Support", "HTTP", "InngestProtocol", "Engine", "Functions", "Ops", "Monitoring", "JSON", "Console", "LoopConsole", "WorkerSettings",
        ]),
        // The Swift app that bench/serve/run.sh measures (not a product).
        .executableTarget(name: "ServeBenchApp", dependencies: ["HTTP", "InngestProtocol", "JSON"], path: "bench/serve/app"),
        // `joelclaw loop` reads the functions' loop state store, hence Functions.
        .executableTarget(name: "JoelclawCLI", dependencies: ["Ops", "Functions", "Console"]),

        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "HashingTests", dependencies: ["Hashing"]),
        // TLS certificates and the Python TLS peer are read from the source tree.
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "Support", "TestSupport"], exclude: ["Fixtures"]),
        // What several test targets share: hostile-request catalogues' types and a raw-socket exchange.
        .target(name: "TestSupport", dependencies: ["Support", "HTTP", "JSON"], path: "Tests/TestSupport"),
        .testTarget(name: "InngestProtocolTests", dependencies: ["InngestProtocol", "JSON", "Hashing", "HTTP", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "InngestProtocol", "JSON", "HTTP", "SQLite", "TestSupport"]),
        // Worker + embedded engine in one process, killed with SIGKILL by EngineTests' crash test.
        .executableTarget(name: "EngineCrashHarness", dependencies: ["Engine", "InngestProtocol", "HTTP", "JSON"],
                          path: "Tests/EngineCrashHarness"),
        // bench/engine/run.sh: end-to-end latency, throughput and file growth of the embedded engine.
        .executableTarget(name: "EngineBench", dependencies: ["Engine", "InngestProtocol", "HTTP", "JSON", "SQLite"],
                          path: "bench/engine/EngineBench"),
        // bench/timeouts/run.sh: how late each timeout fires, against Task.sleep for the same time.
        .executableTarget(name: "TimeoutBench", dependencies: ["HTTP", "Subprocess"],
                          path: "bench/timeouts/TimeoutBench"),
        // Fixtures are read from the source tree (#filePath), not bundled.
        .testTarget(name: "FunctionsTests", dependencies: ["Support", "Functions", "Engine", "InngestProtocol", "JSON", "HTTP", "SQLite", "Ops", "Subprocess", "TestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "OpsTests", dependencies: ["TestSupport", "Ops", "JSON", "HTTP", "Subprocess", "InngestProtocol", "Engine"]),
        .testTarget(name: "SubprocessTests", dependencies: ["Subprocess", "TestSupport"]),
        // Spawns one program and waits; SubprocessTests kills it with SIGKILL and checks the program died too.
        .executableTarget(name: "SpawnHarness", dependencies: ["Subprocess"], path: "Tests/SpawnHarness"),
        .testTarget(name: "MonitoringTests", dependencies: ["TestSupport", "Monitoring", "HTTP", "JSON", "InngestProtocol"]),
        .testTarget(name: "WorkerTests", dependencies: ["HTTP", "JSON", "TestSupport", "WorkerSettings"]),
        // The console over test functions, driven by the browser test (Tests/Browser/console_test.py).
        .executableTarget(name: "ConsoleBrowserHarness", dependencies: ["Console", "Engine", "InngestProtocol", "HTTP", "JSON", "Ops", "Monitoring"],
                          path: "Tests/ConsoleBrowserHarness"),
        .testTarget(name: "ConsoleTests", dependencies: ["Console", "Engine", "InngestProtocol", "HTTP", "JSON", "Ops", "Subprocess",
                                                        "Functions", "LoopConsole", "TestSupport"]),
        // The interop app's functions and scenarios: run by InteropTests on the embedded engine and
        // by bench/interop/sdk-app against a real Inngest server (its Sources link here).
        .target(name: "InteropScenarios", dependencies: ["InngestProtocol", "HTTP", "JSON"], path: "Tests/InteropScenarios"),
        .testTarget(name: "InteropTests", dependencies: ["InteropScenarios", "Engine", "InngestProtocol", "HTTP", "TestSupport"]),
        // The repository's documents against its code (docs/architecture.md's module graph, the README's layout).
        .testTarget(name: "RepositoryTests"),
    ]
)
