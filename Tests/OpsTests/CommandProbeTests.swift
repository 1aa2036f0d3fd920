import Foundation
import Subprocess
import Testing
@testable import Ops

/// Command-based checks run through the real `ProcessCommandRunner` against
/// fake `launchctl`/`docker`/`systemctl`/`kubectl`/`ps` scripts on PATH.
@Suite struct CommandProbeTests {
    func check(_ check: HealthCheck, tools: FakeTools, prefix: [String] = [], timeout: Double = 10,
               path: String? = nil) async -> ServiceStatus {
        let machine = Machine(name: "m", commandPrefix: prefix, services: [])
        var env = tools.environment
        if let path { env["PATH"] = path }
        let checker = HealthChecker(commands: ProcessCommandRunner(environment: env))
        return await checker.check(Service(name: "s", kind: .launchd, checks: [check], timeout: timeout), on: machine)
    }

    @Test func launchdRunningJobReportsPidAndMemory() async throws {
        let tools = try FakeTools()
        try tools.add("launchctl", #"printf '{\n\t"LimitLoadToSessionType" = "Aqua";\n\t"Label" = "com.example.w";\n\t"PID" = 4242;\n\t"LastExitStatus" = 0;\n};\n'"#)
        try tools.add("ps", "echo '  20480'")
        let status = await check(.launchd(label: "com.example.w", mustRun: true), tools: tools)
        #expect(status.state == .up)
        #expect(status.detail == "running (pid 4242)")
        #expect(status.memoryBytes == 20480 * 1024)
        #expect(tools.calls == ["launchctl list com.example.w", "ps -o rss= -p 4242"])
    }

    @Test func launchdUnloadedJobIsDown() async throws {
        let tools = try FakeTools()
        try tools.add("launchctl", "echo 'Could not find service' >&2; exit 113")
        let status = await check(.launchd(label: "com.example.w", mustRun: true), tools: tools)
        #expect(status.state == .down)
        #expect(status.detail == "not loaded")
    }

    @Test func launchdIdleWatcherIsUpWhenItNeedNotRun() async throws {
        let tools = try FakeTools()
        try tools.add("launchctl", #"printf '{\n\t"LastExitStatus" = 0;\n};\n'"#)
        #expect(await check(.launchd(label: "w", mustRun: false), tools: tools).state == .up)
        #expect(await check(.launchd(label: "w", mustRun: true), tools: tools).state == .degraded)
    }

    @Test func dockerHealthAndMemory() async throws {
        let tools = try FakeTools()
        try tools.add("docker", """
        case "$1" in
          inspect) echo 'running healthy' ;;
          stats) echo '176.9MiB / 7.6GiB' ;;
        esac
        """)
        let status = await check(.docker(container: "redis-1"), tools: tools)
        #expect(status.state == .up)
        #expect(status.detail == "healthy")
        #expect(status.memoryBytes == UInt64((176.9 * 1_048_576).rounded()))
        #expect(tools.calls.first == "docker inspect --format {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}} redis-1")
    }

    @Test func dockerUnhealthyIsDegradedAndMissingIsDown() async throws {
        let tools = try FakeTools()
        try tools.add("docker", #"[ "$1" = inspect ] && [ "$4" = gone ] && { echo 'Error: No such object: gone' >&2; exit 1; }; [ "$1" = inspect ] && echo 'running unhealthy'; exit 0"#)
        #expect(await check(.docker(container: "sick"), tools: tools).state == .degraded)
        let gone = await check(.docker(container: "gone"), tools: tools)
        #expect(gone.state == .down)
        #expect(gone.detail == "Error: No such object: gone")
    }

    @Test func missingToolIsUnknown() async throws {
        let tools = try FakeTools()
        let status = await check(.systemd(unit: "pdf-brain.service"), tools: tools, path: tools.bin)
        #expect(status.state == .unknown)
        #expect(status.detail == "systemctl: command not found")
    }

    @Test func hungCommandIsKilledAtItsTimeout() async throws {
        let tools = try FakeTools()
        try tools.add("kubectl", "exec sleep 20")
        let status = await check(.kubernetes(namespace: "joelclaw", pod: "redis-0"), tools: tools, timeout: 0.4)
        // A sleep that ran out would exit 0 and leave the pod "up".
        #expect(status.state == .down)
        #expect(status.detail == "no answer within 0.4s")
    }

    @Test func remoteMachineCommandsGoThroughItsPrefix() async throws {
        let tools = try FakeTools()
        // A stand-in for `ssh host cmd…`: drop the host, run the rest.
        try tools.add("fakessh", #"shift; exec "$@""#)
        try tools.add("systemctl", "printf 'ActiveState=active\\nSubState=running\\nMemoryCurrent=1048576\\n'")
        let status = await check(.systemd(unit: "pdf-brain.service"), tools: tools, prefix: ["fakessh", "box"])
        #expect(status.state == .up)
        #expect(status.memoryBytes == 1_048_576)
        #expect(tools.calls == ["fakessh box systemctl show pdf-brain.service --property=ActiveState,SubState,MemoryCurrent",
                                "systemctl show pdf-brain.service --property=ActiveState,SubState,MemoryCurrent"])
    }
}

@Suite struct ManagerOutputTests {
    @Test func systemdStates() {
        #expect(ManagerOutput.systemdState("ActiveState=failed\nSubState=failed\n").state == .down)
        #expect(ManagerOutput.systemdState("ActiveState=activating\nSubState=start\n").state == .degraded)
        #expect(ManagerOutput.systemdState("ActiveState=active\nSubState=running\nMemoryCurrent=[not set]\n") == ProbeResult(.up, "active (running)"))
        #expect(ManagerOutput.systemdState("").state == .unknown)
    }

    @Test func kubernetesStates() {
        #expect(ManagerOutput.kubernetesState("Running true").state == .up)
        #expect(ManagerOutput.kubernetesState("Running true false").state == .degraded)
        #expect(ManagerOutput.kubernetesState("Pending").state == .degraded)
        #expect(ManagerOutput.kubernetesState("Failed").state == .down)
        #expect(ManagerOutput.kubernetesState("").state == .unknown)
    }

    @Test func dockerStatesAndSizes() {
        #expect(ManagerOutput.dockerState("exited").state == .down)
        #expect(ManagerOutput.dockerState("running starting").state == .degraded)
        #expect(ManagerOutput.dockerState("running").state == .up)
        #expect(ManagerOutput.parseSize("21MiB") == 21 * 1_048_576)
        #expect(ManagerOutput.parseSize("1.5GB") == 1_500_000_000)
        #expect(ManagerOutput.parseSize("800B") == 800)
        #expect(ManagerOutput.parseSize("lots") == nil)
    }

    @Test func launchdFields() {
        let text = "{\n\t\"PID\" = 12;\n\t\"LastExitStatus\" = 256;\n};"
        #expect(ManagerOutput.launchd(text).pid == 12)
        #expect(ManagerOutput.launchd(text).lastExitStatus == 256)
        #expect(ManagerOutput.launchdState("{\n\t\"LastExitStatus\" = 256;\n};").state == .down)
    }
}
