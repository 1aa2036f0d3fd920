import JSON

/// Reads `tailscale status --json`: which peers are online.
public enum TailscaleStatus {
    /// One entry per peer in `Peer` (keyed by node key in the JSON), by its
    /// `HostName` (else `DNSName`), with its `Online` flag. `watched`, when
    /// non-empty, keeps only those host names (case-insensitive) and reports
    /// a watched host missing from the tailnet as offline.
    public static func peers(_ output: [UInt8], watched: [String]) throws -> [(host: String, online: Bool)] {
        let json: JSON
        do { json = try JSON(parsing: output) } catch { throw TranscriptError.malformed("tailscale status is not JSON: \(error)") }
        var found: [(host: String, online: Bool)] = []
        for (_, peer) in json["Peer"]?.objectValue ?? JSONObject() {
            guard let host = peer["HostName"]?.stringValue ?? peer["DNSName"]?.stringValue else { continue }
            found.append((host, peer["Online"]?.boolValue ?? false))
        }
        guard !watched.isEmpty else { return found.sorted { $0.host < $1.host } }
        return watched.map { name in
            (name, found.contains { $0.host.lowercased() == name.lowercased() && $0.online })
        }
    }
}
