import Foundation
import Testing
@testable import Ops
import TestSupport

/// `joelclaw infra apply` into a temporary root, with `launchctl`, `docker`,
/// `kubectl`, `caddy` and `plutil` replaced on PATH by recording scripts.
@Suite struct InfraApplyTests {
    let tools: FakeTools
    let root: TemporaryDirectory

    init() throws {
        tools = try FakeTools()
        root = try TemporaryDirectory()
        try tools.add("launchctl")
        try tools.add("docker")
        try tools.add("kubectl")
        try tools.add("caddy")
        try tools.add("plutil")
    }

    func apply(_ extra: [String] = [], env: [String: String] = [:]) async -> CLIHarness.Outcome {
        var environment = tools.environment
        environment.merge(RenderedInfra.environment) { $1 }
        environment["JOELCLAW_REPO"] = Repository.root
        environment["JOELCLAW_INFRA_CONFIG"] = "\(root.path)/no-such-settings.env"
        environment.merge(env) { $1 }
        return await CLIHarness(environment: environment).run(["infra", "apply", "--root", root.path] + extra)
    }

    var launchAgents: String { "Users/test/Library/LaunchAgents" }
    var restarts: [String] {
        tools.calls.filter { !$0.hasPrefix("plutil") && !$0.hasPrefix("caddy validate") && !$0.contains(" config --quiet") && $0 != "docker compose version" }
    }

    @Test func installsRestartsOnlyWhatChangedAndIsIdempotent() async throws {
        let first = await apply(["--only", "launchd,compose,k8s"])
        #expect(first.code == .success, "\(first.stderr)")
        // Files landed, rendered.
        let worker = try #require(root.contents("\(launchAgents)/com.joel.system-bus-worker.plist"))
        #expect(worker.contains("<string>\(Repository.root)/start.sh</string>"))
        #expect(root.contents("Users/test/.local/caddy/Caddyfile")?.contains("reverse_proxy 127.0.0.1:3111") == true)
        #expect(root.contents("Users/test/.local/state/joelclaw/docker/docker-compose.yml") != nil)
        #expect(root.contents("Users/test/.local/state/joelclaw/k8s/inngest.yaml")?.contains("name: inngest-svc") == true)
        // Validation ran through the tools before anything was installed.
        let calls = tools.calls
        #expect(calls.filter { $0.hasPrefix("plutil -lint ") }.count == 4)
        #expect(calls.contains { $0.hasPrefix("caddy validate --config ") && $0.hasSuffix("--adapter caddyfile") })
        #expect(calls.contains { $0.hasPrefix("docker compose -f ") && $0.hasSuffix(" config --quiet") })
        let firstRestart = calls.firstIndex { $0.hasPrefix("launchctl") }!
        #expect(calls.lastIndex { $0.hasPrefix("plutil") || $0.hasPrefix("caddy") || $0.hasSuffix("config --quiet") }! < firstRestart)
        // Exactly the restarts needed, in manifest order.
        let la = "\(root.path)/\(launchAgents)"
        let state = "\(root.path)/Users/test/.local/state/joelclaw"
        #expect(restarts == [
            "launchctl bootout gui/501/com.joel.system-bus-worker",
            "launchctl bootstrap gui/501 \(la)/com.joel.system-bus-worker.plist",
            "launchctl bootout gui/501/com.joel.caddy",
            "launchctl bootstrap gui/501 \(la)/com.joel.caddy.plist",
            "launchctl bootout gui/501/com.joel.vault-log-sync",
            "launchctl bootstrap gui/501 \(la)/com.joel.vault-log-sync.plist",
            "launchctl bootout gui/501/com.joel.adr-sync-watcher",
            "launchctl bootstrap gui/501 \(la)/com.joel.adr-sync-watcher.plist",
            "docker compose -p system-bus -f \(state)/docker/docker-compose.yml up -d",
            "kubectl apply -f \(state)/k8s/namespace.yaml",
            "kubectl apply -f \(state)/k8s/inngest.yaml",
            "kubectl apply -f \(state)/k8s/redis.yaml",
            "kubectl apply -f \(state)/k8s/qdrant.yaml",
        ])
        // The plan is printed before the first command runs.
        let planAt = try #require(first.stdout.range(of: "Plan:"))
        let ranAt = try #require(first.stdout.range(of: "$ launchctl"))
        #expect(planAt.lowerBound < ranAt.lowerBound)

        // Second run: validation again, no installs, no restarts.
        tools.clearCalls()
        let second = await apply(["--only", "launchd,compose,k8s"])
        #expect(second.code == .success)
        #expect(second.stdout.contains("Nothing to do: 10 file(s) already up to date."))
        #expect(restarts.isEmpty, "\(restarts)")
        #expect(!tools.calls.isEmpty, "validation still runs")
    }

    @Test func aChangedCaddyfileOnlyKickstartsCaddy() async throws {
        #expect(await apply().code == .success)
        tools.clearCalls()
        let changed = await apply(env: ["JOELCLAW_TLS_HOST": "box.tailnet.test"])
        #expect(changed.code == .success, "\(changed.stderr)")
        #expect(restarts == ["launchctl kickstart -k gui/501/com.joel.caddy"])
        #expect(root.contents("Users/test/.local/caddy/Caddyfile")?.contains("box.tailnet.test:3443 {") == true)
        #expect(changed.stdout.contains("update \(root.path)/Users/test/.local/caddy/Caddyfile"))
    }

    @Test func dryRunValidatesAndPlansButTouchesNothing() async throws {
        let r = await apply(["--dry-run"])
        #expect(r.code == .success)
        #expect(r.stdout.contains("Plan:"))
        #expect(r.stdout.contains("run    launchctl bootstrap gui/501 "))
        #expect(r.stdout.contains("Dry run: nothing installed, nothing restarted."))
        #expect(restarts.isEmpty)
        #expect(tools.calls.contains { $0.hasPrefix("plutil -lint") })
        #expect(!FileManager.default.fileExists(atPath: "\(root.path)/Users"))
    }

    /// A worker port that disagrees with the inventory fails validation of the
    /// Caddyfile, and nothing at all is installed.
    @Test func invalidConfigurationInstallsNothing() async throws {
        let r = await apply(env: ["JOELCLAW_WORKER_PORT": "4000"])
        #expect(r.code == .configuration)
        #expect(r.stderr.contains("nothing was installed"))
        #expect(r.stderr.contains("site :3443 proxies to :4000, the inventory says worker :3111"))
        #expect(!FileManager.default.fileExists(atPath: "\(root.path)/Users"))
        #expect(restarts.isEmpty)
    }

    @Test func aToolRejectingAFileStopsBeforeInstalling() async throws {
        try tools.add("caddy", "echo 'adapting config: unknown directive' >&2; exit 1")
        let r = await apply()
        #expect(r.code == .configuration)
        #expect(r.stderr.contains("caddy/Caddyfile: `caddy` rejected it: adapting config: unknown directive"))
        #expect(!FileManager.default.fileExists(atPath: "\(root.path)/Users"))
    }

    /// caddy's bootstrap fails: its files are rolled back, the worker (before
    /// it) stays applied, and the units after it are not attempted.
    @Test func aFailedRestartRollsBackItsUnitAndStops() async throws {
        try tools.add("launchctl", #"case "$*" in *bootstrap*com.joel.caddy.plist) echo 'Bootstrap failed: 5: Input/output error' >&2; exit 5;; esac"#)
        let r = await apply()
        #expect(r.code == .failure)
        #expect(r.stderr.contains("launchd com.joel.caddy: `launchctl bootstrap gui/501 "))
        #expect(r.stderr.contains("exited 5: Bootstrap failed: 5: Input/output error"))
        #expect(r.stderr.contains("removed new \(root.path)/Users/test/.local/caddy/Caddyfile"))
        #expect(r.stderr.contains("Applied before this: launchd com.joel.system-bus-worker."))
        #expect(r.stderr.contains("Not attempted: launchd com.joel.vault-log-sync, launchd com.joel.adr-sync-watcher, compose system-bus."))
        #expect(root.contents("\(launchAgents)/com.joel.system-bus-worker.plist") != nil)
        #expect(root.contents("\(launchAgents)/com.joel.caddy.plist") == nil)
        #expect(root.contents("Users/test/.local/caddy/Caddyfile") == nil)
        #expect(root.contents("\(launchAgents)/com.joel.vault-log-sync.plist") == nil)
        #expect(!restarts.contains { $0.contains("vault-log-sync") || $0.hasPrefix("docker compose -p") })
    }

    @Test func aFailedUpdateRestoresThePreviousFileAndReloadsIt() async throws {
        #expect(await apply().code == .success)
        let before = try #require(root.contents("\(launchAgents)/com.joel.caddy.plist"))
        try tools.add("launchctl", #"[ "$1" = bootstrap ] && [ -e '\#(tools.directory.path)/fail-once' ] && { rm '\#(tools.directory.path)/fail-once'; echo nope >&2; exit 1; }; exit 0"#)
        try tools.directory.write("fail-once", "")
        tools.clearCalls()
        let r = await apply(env: ["JOELCLAW_CADDY_BIN": "/usr/local/bin/caddy"])
        #expect(r.code == .failure)
        #expect(r.stderr.contains("restored previous \(root.path)/\(launchAgents)/com.joel.caddy.plist"))
        #expect(r.stderr.contains("reloaded the previous job definition"))
        #expect(root.contents("\(launchAgents)/com.joel.caddy.plist") == before)
        #expect(restarts.filter { $0.hasPrefix("launchctl bootstrap") }.count == 2)
    }

    @Test func unknownGroupIsAUsageError() async {
        let r = await apply(["--only", "nomad"])
        #expect(r.code == .usage)
        #expect(r.stderr.contains("Unknown group 'nomad'"))
    }
}
