// swift-tools-version:6.0
//
// A separate package (not part of the joelclaw package and its CI build): an app
// written against the InngestSDK product, whose functions exercise every step tool,
// and checks that drive them through a real Inngest server. Run it through
// ../real-server.sh, which supplies the server.
import PackageDescription

let package = Package(
    name: "interop-sdk-app",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "joelclaw-system-bus", path: "../../..")],
    targets: [
        // The functions and scenarios, shared with the main package's InteropTests (which run
        // them on the embedded engine): Sources/InteropScenarios links to Tests/InteropScenarios.
        .target(name: "InteropScenarios", dependencies: [.product(name: "InngestSDK", package: "joelclaw-system-bus")]),
        .executableTarget(name: "InteropApp", dependencies: ["InteropScenarios"]),
        // The fixture app of the Inngest CLI's serve conformance runner (../conformance.sh).
        .executableTarget(name: "ConformanceApp",
                          dependencies: [.product(name: "InngestSDK", package: "joelclaw-system-bus")]),
    ]
)
