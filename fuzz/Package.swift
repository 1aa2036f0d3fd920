// swift-tools-version:6.0
//
// The fuzz targets: a package of its own, so `swift build` of the main
// package never builds them. Modules/ holds symbolic links to the main
// package's source folders (a path dependency could only reach its
// products, and most modules are not products), and this manifest mirrors
// their dependencies. Build with fuzz/run.sh, which passes
// `-sanitize=fuzzer,address` to every module so libFuzzer sees coverage
// across all of them.
import PackageDescription

let package = Package(
    name: "fuzz",
    platforms: [.macOS(.v14)],
    targets: [
        .systemLibrary(name: "CSQLite", path: "Modules/CSQLite", pkgConfig: "sqlite3"),
        .systemLibrary(name: "CCrypto", path: "Modules/CCrypto", pkgConfig: "libcrypto"),
        .systemLibrary(name: "CTLS", path: "Modules/CTLS", pkgConfig: "libssl"),
        .systemLibrary(name: "CLinux", path: "Modules/CLinux"),
        .target(name: "JSON", path: "Modules/JSON", linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]),
        .target(name: "Hashing", dependencies: [.target(name: "CCrypto", condition: .when(platforms: [.linux]))],
                path: "Modules/Hashing"),
        .target(name: "Support", path: "Modules/Support"),
        .target(name: "HTTP", dependencies: [
            "Support",
            .target(name: "CLinux", condition: .when(platforms: [.linux])),
            .target(name: "CTLS", condition: .when(platforms: [.linux])),
        ], path: "Modules/HTTP"),
        .target(name: "SQLite", dependencies: ["CSQLite"], path: "Modules/SQLite"),
        .target(name: "InngestProtocol", dependencies: ["Support", "JSON", "Hashing", "HTTP"], path: "Modules/InngestProtocol"),
        .target(name: "Engine", dependencies: ["Support", "InngestProtocol", "JSON", "Hashing", "HTTP", "SQLite"], path: "Modules/Engine"),
        .target(name: "Subprocess", dependencies: [.target(name: "CLinux", condition: .when(platforms: [.linux]))],
                path: "Modules/Subprocess"),
        .target(name: "Ops", dependencies: ["Support", "JSON", "HTTP", "Subprocess", "InngestProtocol", "Engine"], path: "Modules/Ops"),
        .target(name: "Functions", dependencies: ["Support", "InngestProtocol", "JSON", "Hashing", "HTTP", "SQLite", "Ops", "Subprocess"],
                path: "Modules/Functions"),
        .target(name: "Console", dependencies: ["Support", "HTTP", "JSON", "Hashing", "InngestProtocol", "Ops"], path: "Modules/Console"),
        .target(name: "WorkerSettings", dependencies: ["Support", "HTTP", "Engine"], path: "Modules/WorkerSettings"),
        // One binary, every target: FUZZ_TARGET=<name> picks the entry point (see Targets/Dispatch.swift).
        .executableTarget(name: "fuzzers", dependencies: ["Support", "JSON", "HTTP", "InngestProtocol", "Engine", "Ops", "Functions", "Console",
                                                          "WorkerSettings"],
                          path: "Targets", swiftSettings: [.swiftLanguageMode(.v5)]),
    ]
)
