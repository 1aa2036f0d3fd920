import Foundation
import Subprocess

/// Copies a finished download to the archive (the NAS). Copying the same
/// files again overwrites them in place, so a retried transfer never
/// duplicates anything. The one real implementation is `NASFileTransfer`.
public protocol FileTransfer: Sendable {
    /// Copies the regular files directly inside `localDirectory` into
    /// `remoteDirectory` (created when missing). Returns the destination as
    /// a human-readable location (`host:path` or a local path).
    @discardableResult
    func copyContents(of localDirectory: String, to remoteDirectory: String) async throws -> String
}

/// Transfers with `ssh mkdir -p` + `scp` to an SSH host, or with an atomic
/// file copy to a local (e.g. mounted) directory, as configured.
public struct NASFileTransfer: FileTransfer {
    let destination: NASDestination
    let ssh: [String]
    let scp: [String]
    let runner: CommandRunner
    let timeout: Double

    public init(destination: NASDestination, ssh: [String] = ["ssh"], scp: [String] = ["scp"],
                runner: CommandRunner, timeout: Double = 1800) {
        self.destination = destination
        self.ssh = ssh
        self.scp = scp
        self.runner = runner
        self.timeout = timeout
    }

    @discardableResult
    public func copyContents(of localDirectory: String, to remoteDirectory: String) async throws -> String {
        let files = try FileManager.default.contentsOfDirectory(atPath: localDirectory).sorted()
            .map { localDirectory + "/" + $0 }
            .filter { var d: ObjCBool = false; return FileManager.default.fileExists(atPath: $0, isDirectory: &d) && !d.boolValue }
        switch destination {
        case .local:
            for file in files {
                let data = try Data(contentsOf: URL(fileURLWithPath: file))
                try AtomicFile.write([UInt8](data), to: remoteDirectory + "/" + (file as NSString).lastPathComponent)
            }
            try FileManager.default.createDirectory(atPath: remoteDirectory, withIntermediateDirectories: true)
            return remoteDirectory
        case .ssh(let host, _):
            // scp's older protocol hands the remote path to the remote shell, so
            // only plainly safe characters are sent at all.
            guard Self.isPlainRemotePath(remoteDirectory) else { throw FileTransferError.unsafeRemotePath(remoteDirectory) }
            let options = ["-o", "BatchMode=yes"]
            // `--` before the operands: neither the host nor a file name can become an option.
            try await runner.runChecked(Command(ssh + options + ["--", host, "mkdir -p -- " + Command.shellQuoted(remoteDirectory)],
                                                timeout: 60))
            if !files.isEmpty {
                try await runner.runChecked(Command(scp + options + ["-p", "-q", "--"] + files + ["\(host):\(remoteDirectory)/"],
                                                    timeout: timeout))
            }
            return "\(host):\(remoteDirectory)"
        }
    }
}

extension NASFileTransfer {
    /// Absolute and made only of characters a shell takes literally (what
    /// `Command.shellQuoted` leaves unquoted): nothing a remote shell would split,
    /// expand or run.
    static func isPlainRemotePath(_ path: String) -> Bool {
        path.hasPrefix("/") && Command.shellQuoted(path) == path
    }
}

public enum FileTransferError: Error, Sendable, Equatable, CustomStringConvertible {
    case unsafeRemotePath(String)

    public var description: String {
        switch self {
        case .unsafeRemotePath(let p): return "refusing to copy to \(p): an archive path on an SSH host must be absolute and plain "
            + "(letters, digits and - _ . / = : @ % + , only)"
        }
    }
}
