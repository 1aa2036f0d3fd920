import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process groups a worker has running, written down so that the next
/// start can end the ones a killed worker left behind. This matters on macOS,
/// which has no parent-death signal; on Linux the kernel already ends them
/// (see `PlatformSpawn`), and the record is a second line of defence.
///
/// Each worker writes its own file, `<directory>/<pid>-<start>.groups`, one
/// `pgid start` line per running group, where `start` is the start time of
/// the group's leader. At start, `endLeftovers` reads the files of workers
/// that are gone (their own pid and start time no longer match) and kills
/// only those groups whose leader still has the recorded start time: a pgid
/// reused since by an unrelated program has another start time and is left alone.
public final class ProcessGroupRecord: @unchecked Sendable {
    public let directory: String
    private let file: String
    private let lock = NSLock()
    private var running: [pid_t: UInt64] = [:]

    public init(directory: String) {
        self.directory = directory
        let me = getpid()
        file = directory + "/\(me)-\(Self.startTime(of: me) ?? 0).groups"
    }

    /// Kills the recorded groups of workers that are gone and removes their
    /// files. Returns the process groups it killed.
    @discardableResult
    public func endLeftovers() -> [pid_t] {
        var killed: [pid_t] = []
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasSuffix(".groups") && directory + "/" + name != file {
            let owner = name.dropLast(".groups".count).split(separator: "-").compactMap { UInt64($0) }
            guard owner.count == 2 else { continue }
            if let pid = pid_t(exactly: owner[0]), Self.startTime(of: pid) == owner[1] { continue }  // still running
            let text = (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") {
                let fields = line.split(separator: " ").compactMap { UInt64($0) }
                guard fields.count == 2, let pgid = pid_t(exactly: fields[0]), pgid > 1 else { continue }
                if Self.startTime(of: pgid) == fields[1], kill(-pgid, SIGKILL) == 0 { killed.append(pgid) }
            }
            try? FileManager.default.removeItem(atPath: directory + "/" + name)
        }
        return killed
    }

    func started(_ pgid: pid_t) {
        guard let start = Self.startTime(of: pgid) else { return }
        lock.lock(); defer { lock.unlock() }
        running[pgid] = start
        save()
    }

    func finished(_ pgid: pid_t) {
        lock.lock(); defer { lock.unlock() }
        guard running.removeValue(forKey: pgid) != nil else { return }
        save()
    }

    /// Rewrites this worker's file (it stays small: one line per running program). Best effort.
    private func save() {
        if running.isEmpty { try? FileManager.default.removeItem(atPath: file); return }
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let text = running.map { "\($0.key) \($0.value)\n" }.joined()
        let temp = file + ".tmp"
        guard FileManager.default.createFile(atPath: temp, contents: Data(text.utf8)) else { return }
        _ = rename(temp, file)
    }

    /// When `pid` started (an opaque, comparable number), or nil when it does not exist.
    static func startTime(of pid: pid_t) -> UInt64? {
        #if canImport(Glibc)
        // Field 22 of /proc/<pid>/stat, in clock ticks since boot (fields counted after the name's ')').
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, fields[0] != "Z" else { return nil }
        return UInt64(fields[19])
        #else
        var info = kinfo_proc()
        var size = MemoryLayout<kinfo_proc>.stride
        var mib: [Int32] = [CTL_KERN, KERN_PROC, KERN_PROC_PID, pid]
        guard sysctl(&mib, 4, &info, &size, nil, 0) == 0, size > 0 else { return nil }
        let t = info.kp_proc.p_un.__p_starttime
        return UInt64(t.tv_sec) * 1_000_000 + UInt64(t.tv_usec)
        #endif
    }
}
