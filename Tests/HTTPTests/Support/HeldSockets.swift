import Foundation

/// Sockets bound to `port` on this machine that some process still holds
/// open (Linux: /proc/net/tcp*, entries with an inode). A server socket
/// whose descriptor leaked stays listed (in CLOSE_WAIT); closed ones drop
/// to inode 0 or vanish. Nil where /proc is unavailable.
func heldSocketCount(localPort port: Int) -> Int? {
    var count = 0
    var readAny = false
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { continue }
        readAny = true
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 9, let colon = fields[1].lastIndex(of: ":"),
                  Int(fields[1][fields[1].index(after: colon)...], radix: 16) == port else { continue }
            if fields[9] != "0" { count += 1 }
        }
    }
    return readAny ? count : nil
}
