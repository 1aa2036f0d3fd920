import Foundation
import Subprocess
import JSON
import Testing
@testable import Functions
import TestSupport

@Suite struct EffectsTests {
    @Test func systemLogAppendsOncePerIdAndCreatesTheFile() throws {
        let dir = try TemporaryDirectory()
        let log = JSONLinesSystemLog(path: dir.file("system/system-log.jsonl"))
        let entry = SystemLogEntry(id: "evt:1", timestamp: "2026-02-16T18:04:11.123Z", action: "video-downloaded",
                                   tool: "pipeline", detail: #"{"slug":"some-talk"}"#)
        #expect(try log.append(entry))
        #expect(try !log.append(entry))
        #expect(try log.append(SystemLogEntry(id: "evt:2", timestamp: "2026-02-16T18:05:00.000Z", action: "degraded",
                                              tool: "agent-secrets", detail: "down", reason: "check/system-health")))
        #expect(try dir.read("system/system-log.jsonl") == """
        {"timestamp":"2026-02-16T18:04:11.123Z","action":"video-downloaded","tool":"pipeline","detail":"{\\"slug\\":\\"some-talk\\"}","id":"evt:1"}
        {"timestamp":"2026-02-16T18:05:00.000Z","action":"degraded","tool":"agent-secrets","detail":"down","reason":"check/system-health","id":"evt:2"}

        """)
        #expect(try log.entries().map(\.id) == ["evt:1", "evt:2"])
    }

    @Test func systemLogSurvivesConcurrentWritersAndATornLine() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("log.jsonl", #"{"timestamp":"x","action":"torn"#)
        let log = JSONLinesSystemLog(path: dir.file("log.jsonl"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<40 {
                group.addTask {
                    // Every id twice, from different tasks: exactly one line each.
                    try log.append(SystemLogEntry(id: "id-\(i % 20)", timestamp: "t", action: "a", tool: "t", detail: "\(i)"))
                }
            }
            try await group.waitForAll()
        }
        let lines = try dir.read("log.jsonl").split(separator: "\n")
        #expect(lines.count == 21)
        #expect(Set(try log.entries().map(\.id)).count == 20)
    }

    @Test func vaultWritesAtomicallyAndRefusesPathsOutsideItsRoot() throws {
        let dir = try TemporaryDirectory()
        let vault = FileVault(root: dir.file("vault"), lockDirectory: dir.file("run/locks"))
        let path = try vault.write("Resources/videos/a.md", "héllo\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("héllo\n".utf8))
        #expect(try vault.read("missing.md") == nil)
        #expect(throws: FileEffectError.self) { try vault.write("../escape.md", "x") }
        try vault.update("Daily/d.md") { ($0 ?? "") + "line\n" }
        try vault.update("Daily/d.md") { ($0 ?? "") + "line\n" }
        #expect(try vault.read("Daily/d.md") == "line\nline\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.file("vault/Resources/videos"))
        #expect(leftovers == ["a.md"])
    }

    /// Locks for read-modify-write updates live in the lock folder, one per
    /// note whatever the path's spelling, never beside the note in the vault.
    @Test func vaultUpdatesLeaveNoLockFilesInTheVault() throws {
        let dir = try TemporaryDirectory()
        let vault = FileVault(root: dir.file("vault"), lockDirectory: dir.file("run/locks"))
        try vault.update("Daily/d.md") { ($0 ?? "") + "a\n" }
        try vault.update("Daily/../Daily/d.md") { ($0 ?? "") + "b\n" }
        try vault.update("Daily/e.md") { _ in "e\n" }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("vault/Daily")).sorted() == ["d.md", "e.md"])
        let locks = try FileManager.default.contentsOfDirectory(atPath: dir.file("run/locks")).sorted()
        #expect(locks.count == 2 && locks.allSatisfy { $0.hasSuffix(".lock") && $0.count == 37 }, "\(locks)")
        #expect(try vault.read("Daily/d.md") == "a\nb\n")
    }

    /// An append reads only what other writers added since this process last
    /// looked, yet still never duplicates their ids; a replaced file is read again.
    @Test func systemLogAppendDoesNotRereadTheFile() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("log.jsonl")
        let existing = (0..<5000).map { #"{"timestamp":"t","action":"a","tool":"t","detail":"padding padding padding","id":"old-\#($0)"}"# }
        try dir.write("log.jsonl", existing.joined(separator: "\n") + "\n")
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        let log = JSONLinesSystemLog(path: path)
        func entry(_ id: String) -> SystemLogEntry { SystemLogEntry(id: id, timestamp: "t", action: "a", tool: "t", detail: "d") }

        #expect(try !log.append(entry("old-4999")), "ids already in the file are found")
        #expect(log.index.bytesRead == size, "the first append reads the file once")
        for i in 0..<50 { #expect(try log.append(entry("new-\(i)"))) }
        #expect(log.index.bytesRead == size, "its own appends need no reading")

        let other = JSONLinesSystemLog(path: path)  // another process, in effect
        #expect(try other.append(entry("from-other")))
        let otherLine = JSONLinesSystemLog.render(entry("from-other")).serializedBytes().count + 1
        #expect(try !log.append(entry("from-other")), "the other writer's id is seen")
        #expect(log.index.bytesRead == size + otherLine, "only the other writer's line was read")

        try FileManager.default.removeItem(atPath: path)  // rotated away
        #expect(try log.append(entry("old-1")), "a new file starts a new index")
        #expect(try dir.read("log.jsonl").split(separator: "\n").count == 1)
    }

    @Test func observationStoreMergesNearDuplicatesSearchesAndReplaysBatches() throws {
        let db = try FunctionsDatabase(path: ":memory:")
        let store = SQLiteObservationStore(database: db)
        let now = Date(timeIntervalSince1970: 1_771_264_800)
        let first = [
            ObservationItem(type: "segment_fact", gate: WriteGate.decide("[gate=allow confidence=0.9] start.sh must run bun install before serve")),
            ObservationItem(type: "segment_fact", gate: WriteGate.decide("[gate=hold confidence=0.6] worker restarts are noisy at night")),
        ]
        let r1 = try store.store(first, sessionId: "s-1", source: "compaction", batchKey: "b1", now: now)
        #expect(r1.count == 2 && r1.mergedCount == 0 && r1.allowCount == 1 && r1.holdCount == 1)
        // The same batch again (a retried step) writes nothing and answers the same.
        #expect(try store.store(first, sessionId: "s-1", source: "compaction", batchKey: "b1", now: now) == r1)
        // Punctuation differs: an exact-text match would not merge; Jaccard over words does.
        let again = [ObservationItem(type: "segment_fact", gate: WriteGate.decide("[gate=allow] Start.sh must run bun install before serve!"))]
        let r2 = try store.store(again, sessionId: "s-2", source: "shutdown", batchKey: "b2", now: now)
        #expect(r2.mergedCount == 1 && r2.ids == [r1.ids[0]])
        let hits = try store.search("bun install", limit: 5, includeWithheld: false)
        #expect(hits.map(\.id) == [r1.ids[0]])
        #expect(hits[0].mergedCount == 2)
        #expect(try store.search("restarts", limit: 5, includeWithheld: false).isEmpty)
        #expect(try store.search("restarts", limit: 5, includeWithheld: true).count == 1)
        #expect(try store.search("\"); DROP TABLE observations; --", limit: 5, includeWithheld: true).isEmpty)
    }

    @Test func dedupeLocksExpire() throws {
        let db = try FunctionsDatabase(path: ":memory:")
        let t0 = Date(timeIntervalSince1970: 1000)
        #expect(try db.acquireLock("k", owner: "run-1", seconds: 3600, now: t0))
        #expect(try db.acquireLock("k", owner: "run-1", seconds: 3600, now: t0.addingTimeInterval(5)))
        #expect(try !db.acquireLock("k", owner: "run-2", seconds: 3600, now: t0.addingTimeInterval(10)))
        #expect(try db.acquireLock("k", owner: "run-2", seconds: 3600, now: t0.addingTimeInterval(3601)))
    }

    @Test func healthTransitionsAreReportedOnce() throws {
        let db = try FunctionsDatabase(path: ":memory:")
        let t = Date(timeIntervalSince1970: 1000)
        #expect(try db.recordHealth([("a", true, ""), ("b", false, "refused")], now: t).map(\.component) == ["b"])
        #expect(try db.recordHealth([("a", true, ""), ("b", false, "refused")], now: t).isEmpty)
        let recovered = try db.recordHealth([("a", true, ""), ("b", true, "")], now: t)
        #expect(recovered.map(\.component) == ["b"] && recovered[0].ok)
    }

    @Test func contentMirrorCopiesUpdatesDeletesAndSkips() throws {
        let dir = try TemporaryDirectory()
        try dir.write("src/0001-a.md", "a")
        try dir.write("src/0002-b.md", "b2")
        try dir.write("src/README.md", "readme")
        try dir.write("src/notes.txt", "not markdown")
        try dir.write("dst/0002-b.md", "b1")
        try dir.write("dst/0003-gone.md", "old")
        try dir.write("dst/readme.md", "kept")
        let first = try ContentMirror.sync(source: dir.file("src"), destination: dir.file("dst"), skipFiles: ["readme.md"])
        #expect(first.sourceCount == 2)
        #expect(first.synced == [SyncedFile(file: "0001-a.md", status: .new), SyncedFile(file: "0002-b.md", status: .updated),
                                 SyncedFile(file: "0003-gone.md", status: .deleted)])
        #expect(try dir.read("dst/0002-b.md") == "b2")
        #expect(try dir.read("dst/readme.md") == "kept")
        #expect(try ContentMirror.sync(source: dir.file("src"), destination: dir.file("dst"), skipFiles: ["readme.md"]).synced.isEmpty)
        #expect(throws: ContentSyncError.missingSource(dir.file("nope"))) {
            try ContentMirror.sync(source: dir.file("nope"), destination: dir.file("dst"), skipFiles: [])
        }
    }

    @Test func localNASTransferCopiesFilesIdempotently() async throws {
        let dir = try TemporaryDirectory()
        try dir.write("run/clip.mp4", "video")
        try dir.write("run/clip.info.json", "{}")
        let transfer = NASFileTransfer(destination: .local(root: dir.file("nas")), runner: ProcessCommandRunner())
        let target = dir.file("nas/2026/clip")
        #expect(try await transfer.copyContents(of: dir.file("run"), to: target) == target)
        try await transfer.copyContents(of: dir.file("run"), to: target)
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).sorted() == ["clip.info.json", "clip.mp4"])
        #expect(try dir.read("nas/2026/clip/clip.mp4") == "video")
    }

    @Test func commandTranscriberReadsWhisperJSONFromItsOwnDirectory() async throws {
        let dir = try TemporaryDirectory()
        let script = dir.file("fake-whisper.sh")
        try dir.write("fake-whisper.sh", """
        #!/bin/sh
        # args: --model M --output-format json --output-dir D AUDIO
        out="$6"; audio="$7"
        name=$(basename "$audio"); name="${name%.*}"
        printf '{"text":" hi there","segments":[{"start":0.0,"end":NaN,"text":" hi there"}]}' > "$out/$name.json"
        """)
        chmod(script, 0o755)
        try dir.write("audio/talk.mp4", "x")
        let transcriber = CommandTranscriber(command: [script], model: "tiny", runner: ProcessCommandRunner(), timeout: 30)
        let t = try await transcriber.transcribe(audioPath: dir.file("audio/talk.mp4"), outputDirectory: dir.file("out"))
        #expect(t == Transcript(text: " hi there", segments: [TranscriptSegment(start: 0, end: 0, text: " hi there")]))
        let silent = CommandTranscriber(command: ["true"], model: "tiny", runner: ProcessCommandRunner(), timeout: 30)
        await #expect(throws: TranscriptError.noOutput(directory: dir.file("out2"))) {
            try await silent.transcribe(audioPath: dir.file("audio/talk.mp4"), outputDirectory: dir.file("out2"))
        }
    }

    @Test func configurationDefaultsDeriveFromHomeAndOverridesApply() throws {
        let dir = try TemporaryDirectory()
        let defaults = try FunctionsConfig.load(environment: ["HOME": "/home/someone", "XDG_CONFIG_HOME": dir.path])
        #expect(defaults.vaultDir == "/home/someone/Vault")
        #expect(defaults.systemLogPath == "/home/someone/Vault/system/system-log.jsonl")
        #expect(defaults.databasePath == "/home/someone/.local/state/joelclaw/functions.sqlite")
        #expect(defaults.nas == .local(root: "/home/someone/.local/share/joelclaw/video"))
        #expect(defaults.transcriberCommand == ["mlx_whisper"])
        #expect(defaults.contentSync.directories.map(\.source) == ["/home/someone/Vault/docs/decisions", "/home/someone/Vault/Resources/discoveries"])

        try dir.write("custom.json", """
        {"vaultDir": "~/Notes", "nas": {"host": "me@nas.local", "root": "/volume1/video"},
         "commands": {"ytDlp": ["python3", "-m", "yt_dlp"]}, "health": {"sshHosts": ["me@nas.local"], "timeout": 2}}
        """)
        let custom = try FunctionsConfig.load(environment: ["HOME": "/home/someone", "JOELCLAW_CONFIG": dir.file("custom.json"),
                                                            "JOELCLAW_LLM_MODEL": "claude-haiku", "JOELCLAW_TRANSCRIBER": "whisper --fp16 False"])
        #expect(custom.vaultDir == "/home/someone/Notes")
        #expect(custom.systemLogPath == "/home/someone/Notes/system/system-log.jsonl")
        #expect(custom.nas == .ssh(host: "me@nas.local", root: "/volume1/video"))
        #expect(custom.ytDlpCommand == ["python3", "-m", "yt_dlp"])
        #expect(custom.transcriberCommand == ["whisper", "--fp16", "False"])
        #expect(custom.llm.model == "claude-haiku")
        #expect(custom.health.sshHosts == ["me@nas.local"] && custom.health.timeout == 2)

        try dir.write("typo.json", #"{"valtDir": "/x"}"#)
        #expect(throws: ConfigError.self) { try FunctionsConfig.load(environment: ["HOME": "/h", "JOELCLAW_CONFIG": dir.file("typo.json")]) }
        try dir.write("relative.json", #"{"vaultDir": "Vault"}"#)
        #expect(throws: ConfigError("vaultDir must be an absolute path or start with ~/, got Vault")) {
            try FunctionsConfig.load(environment: ["HOME": "/h", "JOELCLAW_CONFIG": dir.file("relative.json")])
        }
        #expect(throws: ConfigError.self) { try FunctionsConfig.load(environment: ["HOME": "/h", "JOELCLAW_CONFIG": dir.file("missing.json")]) }
    }
}
