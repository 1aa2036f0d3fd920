import Foundation
import Subprocess

/// Asks a service manager about one service through a `CommandRunner` and
/// turns the answer into a verdict (parsing lives in `ManagerOutput`).
struct CommandProbe {
    var runner: any CommandRunner
    /// e.g. `ssh -o BatchMode=yes host` for a remote machine; empty locally.
    var prefix: [String]
    var timeout: Double

    func launchd(_ label: String, mustRun: Bool) async -> ProbeResult {
        let listed = await run("launchctl", ["list", label])
        guard case .success(let r) = listed else { return failure(listed) }
        // launchctl exits non-zero when the label is not loaded.
        guard r.succeeded else { return ProbeResult(.down, "not loaded") }
        var verdict = ManagerOutput.launchdState(r.stdoutText, mustRun: mustRun)
        if let pid = ManagerOutput.launchd(r.stdoutText).pid, case .success(let ps) = await run("ps", ["-o", "rss=", "-p", String(pid)]) {
            verdict.memoryBytes = ManagerOutput.psResidentBytes(ps.stdoutText)
        }
        return verdict
    }

    func docker(_ container: String) async -> ProbeResult {
        let format = "{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}"
        let inspected = await run("docker", ["inspect", "--format", format, container])
        guard case .success(let r) = inspected else { return failure(inspected) }
        guard r.succeeded else { return ProbeResult(.down, firstLine(r.stderrText, or: "no such container")) }
        var verdict = ManagerOutput.dockerState(r.stdoutText)
        if verdict.state != .down, case .success(let stats) = await run("docker", ["stats", "--no-stream", "--format", "{{.MemUsage}}", container]) {
            verdict.memoryBytes = ManagerOutput.dockerMemory(stats.stdoutText)
        }
        return verdict
    }

    func systemd(_ unit: String) async -> ProbeResult {
        let shown = await run("systemctl", ["show", unit, "--property=ActiveState,SubState,MemoryCurrent"])
        guard case .success(let r) = shown else { return failure(shown) }
        guard r.succeeded else { return ProbeResult(.unknown, firstLine(r.stderrText, or: "systemctl failed")) }
        return ManagerOutput.systemdState(r.stdoutText)
    }

    func kubernetes(_ namespace: String, _ pod: String) async -> ProbeResult {
        let got = await run("kubectl", ["get", "pod", pod, "-n", namespace, "-o",
                                        "jsonpath={.status.phase} {.status.containerStatuses[*].ready}"])
        guard case .success(let r) = got else { return failure(got) }
        guard r.succeeded else { return ProbeResult(.down, firstLine(r.stderrText, or: "pod not found")) }
        return ManagerOutput.kubernetesState(r.stdoutText)
    }

    /// Runs `tool args`, behind the machine's prefix when it has one.
    func run(_ tool: String, _ args: [String]) async -> Result<CommandResult, CommandError> {
        let command = prefix.isEmpty ? Command(tool, args, timeout: timeout)
            : Command(prefix[0], Array(prefix.dropFirst()) + [tool] + args, timeout: timeout)
        do { return .success(try await runner.run(command)) } catch let e as CommandError {
            return .failure(e)
        } catch {
            return .failure(.launchFailed(command: command.description, reason: "\(error)"))
        }
    }

    func failure(_ r: Result<CommandResult, CommandError>) -> ProbeResult {
        guard case .failure(let error) = r else { return ProbeResult(.unknown, "no result") }
        switch error {
        case .timedOut: return ProbeResult(.down, "no answer within \(TCPProbe.format(timeout))s")
        case .notFound, .launchFailed, .cancelled, .failed: return ProbeResult(.unknown, error.description)
        }
    }

    func firstLine(_ text: String, or fallback: String) -> String {
        text.split(whereSeparator: \.isNewline).first.map { String($0.prefix(120)) } ?? fallback
    }
}
