#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Raises the soft open-file limit toward the hard one at start. launchd
/// starts jobs with a soft limit of 256 on macOS, below the default
/// connection limit; every connection, log file and database needs one.
enum DescriptorLimit {
    /// Returns the soft limit now in force.
    @discardableResult
    static func raise(atMost wanted: UInt64 = 65_536) -> UInt64 {
        var limit = rlimit()
        guard getrlimit(resourceNOFILE, &limit) == 0 else { return 0 }
        let target = min(UInt64(limit.rlim_max), wanted)
        if UInt64(limit.rlim_cur) < target {
            var raised = limit
            raised.rlim_cur = rlim_t(target)
            if setrlimit(resourceNOFILE, &raised) == 0 { return target }
        }
        return UInt64(limit.rlim_cur)
    }

    private static var resourceNOFILE: Int32 {
        #if canImport(Glibc)
        Int32(RLIMIT_NOFILE.rawValue)
        #else
        RLIMIT_NOFILE
        #endif
    }
}
