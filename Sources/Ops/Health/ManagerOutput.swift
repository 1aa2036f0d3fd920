import Foundation

/// Pure readers for what service managers print, kept apart from running the
/// commands so each format is tested on captured text.
public enum ManagerOutput {
    /// `launchctl list <label>` prints a plist-ish dictionary:
    /// `"PID" = 123;` when running, `"LastExitStatus" = 256;` always.
    public static func launchd(_ text: String) -> (pid: Int?, lastExitStatus: Int?) {
        func field(_ name: String) -> Int? {
            for line in text.split(separator: "\n") {
                let t = line.trimmingCharacters(in: .whitespaces)
                guard t.hasPrefix("\"\(name)\"") else { continue }
                let value = t.drop(while: { $0 != "=" }).dropFirst().trimmingCharacters(in: .whitespaces)
                return Int(value.trimmingCharacters(in: CharacterSet(charactersIn: "; ")))
            }
            return nil
        }
        return (field("PID"), field("LastExitStatus"))
    }

    /// Verdict for a launchd job from `launchctl list` output.
    /// `mustRun` false is for on-demand jobs (WatchPaths), idle between runs.
    public static func launchdState(_ text: String, mustRun: Bool = true) -> ProbeResult {
        let job = launchd(text)
        if let pid = job.pid { return ProbeResult(.up, "running (pid \(pid))") }
        if let status = job.lastExitStatus, status != 0 {
            return ProbeResult(mustRun ? .down : .degraded, "not running, last exit status \(status)")
        }
        return mustRun ? ProbeResult(.degraded, "loaded, not running") : ProbeResult(.up, "loaded, idle")
    }

    /// `docker inspect --format '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}'`.
    public static func dockerState(_ text: String) -> ProbeResult {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        guard let status = words.first else { return ProbeResult(.unknown, "docker printed nothing") }
        let health = words.count > 1 ? words[1] : nil
        switch (status, health) {
        case ("running", nil), ("running", "healthy"): return ProbeResult(.up, health ?? "running")
        case ("running", "starting"): return ProbeResult(.degraded, "starting")
        case ("running", let h?): return ProbeResult(.degraded, h)
        case ("restarting", _), ("paused", _): return ProbeResult(.degraded, status)
        default: return ProbeResult(.down, status)
        }
    }

    /// `docker stats --no-stream --format '{{.MemUsage}}'` prints `176.9MiB / 7.6GiB`.
    public static func dockerMemory(_ text: String) -> UInt64? {
        guard let used = text.split(separator: "/").first else { return nil }
        return parseSize(used.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// `systemctl show <unit> --property=ActiveState,SubState,MemoryCurrent`.
    public static func systemdState(_ text: String) -> ProbeResult {
        var props: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { props[String(parts[0])] = String(parts[1]).trimmingCharacters(in: .whitespaces) }
        }
        let memory = props["MemoryCurrent"].flatMap { UInt64($0) }
        let sub = props["SubState"] ?? "?"
        switch props["ActiveState"] {
        case "active"?: return ProbeResult(sub == "running" || sub == "exited" ? .up : .degraded, "active (\(sub))", memoryBytes: memory)
        case "activating"?, "reloading"?, "deactivating"?:
            return ProbeResult(.degraded, "\(props["ActiveState"]!) (\(sub))", memoryBytes: memory)
        case let state?: return ProbeResult(.down, "\(state) (\(sub))")
        case nil: return ProbeResult(.unknown, "systemctl gave no ActiveState")
        }
    }

    /// `kubectl get pod <pod> -o jsonpath='{.status.phase} {.status.containerStatuses[*].ready}'`.
    public static func kubernetesState(_ text: String) -> ProbeResult {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        guard let phase = words.first else { return ProbeResult(.unknown, "kubectl printed nothing") }
        let ready = words.dropFirst()
        switch phase {
        case "Running":
            return !ready.isEmpty && ready.allSatisfy({ $0 == "true" })
                ? ProbeResult(.up, "running, ready") : ProbeResult(.degraded, "running, not ready")
        case "Pending": return ProbeResult(.degraded, "pending")
        default: return ProbeResult(.down, phase.lowercased())
        }
    }

    /// `ps -o rss= -p <pid>` prints kilobytes.
    public static func psResidentBytes(_ text: String) -> UInt64? {
        UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines)).map { $0 * 1024 }
    }

    /// Sizes as Docker prints them: `21.5MiB`, `1.2GiB`, `512kB`, `800B`.
    public static func parseSize(_ text: String) -> UInt64? {
        let units: [(String, Double)] = [("KiB", 1024), ("MiB", 1_048_576), ("GiB", 1_073_741_824), ("TiB", 1_099_511_627_776),
                                         ("kB", 1e3), ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12), ("B", 1)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            guard let n = Double(text.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), n >= 0 else { return nil }
            return UInt64((n * factor).rounded())
        }
        return UInt64(text)
    }
}
