// Used by SocketHTTPClientTLSTests, which run on Linux only.
#if canImport(Glibc)
import Foundation
import TestSupport

/// The Python TLS peer (`Fixtures/tls_peer.py`) as a child process for one
/// test: an https server on a free loopback port with a certificate from
/// `Fixtures/tls`, or (`silent`) a TCP listener that never speaks.
struct TLSPeer {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")
    /// The test CA that signed both server certificates.
    static let caFile = fixtures.appendingPathComponent("tls/ca.pem").path

    enum Certificate: String {
        /// localhost, 127.0.0.1, ::1
        case server
        /// wrong.invalid only
        case wrong
    }

    let port: Int
    private let process: Process
    private let input: Pipe

    /// Runs `body` with a peer started for it, and stops the peer after.
    static func with<T>(_ certificate: Certificate?, _ body: (TLSPeer) async throws -> T) async throws -> T {
        let peer = try await start(certificate)
        defer { peer.stop() }
        return try await body(peer)
    }

    private static func start(_ certificate: Certificate?) async throws -> TLSPeer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = ["python3", fixtures.appendingPathComponent("tls_peer.py").path]
        if let certificate {
            arguments += [fixtures.appendingPathComponent("tls/\(certificate.rawValue).pem").path,
                          fixtures.appendingPathComponent("tls/\(certificate.rawValue)-key.pem").path]
        } else {
            arguments.append("--silent")
        }
        process.arguments = arguments
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // The first line is the port; read off the cooperative pool, which
        // must not block while Python starts.
        let reader = output.fileHandleForReading
        let line = await withCheckedContinuation { (continuation: CheckedContinuation<String, Never>) in
            DispatchQueue.global().async {
                var bytes: [UInt8] = []
                while !bytes.contains(0x0A) {
                    let chunk = reader.availableData
                    if chunk.isEmpty { break }
                    bytes.append(contentsOf: chunk)
                }
                continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
            }
        }
        guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw TestFailure("tls_peer.py did not print a port (got \(line.debugDescription))")
        }
        return TLSPeer(port: port, process: process, input: input)
    }

    /// Closing stdin ends the peer; SIGTERM in case it is stuck.
    private func stop() {
        try? input.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }

    /// Sockets of this test process connected to the peer (from
    /// /proc/net/tcp{,6} and /proc/self/fd): how the tests see that the
    /// client pooled one connection, or closed every one after an error.
    /// Counts only this peer's port, so tests running alongside do not matter.
    /// `closedByPeer` counts only those the peer has closed and this process
    /// has not yet (TCP state CLOSE_WAIT).
    func clientSocketsOpen(closedByPeer: Bool = false) -> Int {
        var inodes = Set<String>()
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            // Read to the end: procfs reports size 0, and a one-shot read may stop at a page.
            guard let data = FileHandle(forReadingAtPath: table)?.readDataToEndOfFile() else { continue }
            let text = String(decoding: data, as: UTF8.self)
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                guard fields.count > 9, let remotePort = fields[2].split(separator: ":").last,
                      Int(remotePort, radix: 16) == port, !closedByPeer || fields[3] == "08" else { continue }
                inodes.insert(String(fields[9]))
            }
        }
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return descriptors.filter { fd in
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(fd)"),
                  target.hasPrefix("socket:[") else { return false }
            return inodes.contains(String(target.dropFirst(8).dropLast()))
        }.count
    }
}
#endif
