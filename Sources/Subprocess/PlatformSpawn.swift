#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The two spawn helpers Swift's Glibc module does not export
/// (`posix_spawn_file_actions_addchdir_np`, `pipe2`), looked up in libc at run
/// time on Linux; Darwin has the first and lacks the second.
enum PlatformSpawn {
    #if canImport(Glibc)
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private static let addChdirSymbol: AddChdir? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np")
        .map { unsafeBitCast($0, to: AddChdir.self) }
    private static let closeFromSymbol: AddCloseFrom? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: AddCloseFrom.self) }
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let pipe2Symbol: Pipe2? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2")
        .map { unsafeBitCast($0, to: Pipe2.self) }

    static func addChdir(_ actions: inout posix_spawn_file_actions_t, _ path: String) -> Int32 {
        guard let f = addChdirSymbol else { return ENOSYS }
        return f(&actions, path)
    }

    /// Closes every descriptor from 3 up in the child (glibc 2.34+), so a
    /// program never inherits the worker's sockets or another thread's
    /// half-made pipes, whatever flags they were opened with. Returns false
    /// when this libc lacks it (the child then relies on close-on-exec).
    static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t, _ flags: inout Int32) -> Bool {
        guard let f = closeFromSymbol else { return false }
        return f(&actions, 3) == 0
    }
    #else
    /// Darwin: `POSIX_SPAWN_CLOEXEC_DEFAULT` closes everything not named in the file actions.
    static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t?, _ flags: inout Int32) -> Bool {
        flags |= Int32(POSIX_SPAWN_CLOEXEC_DEFAULT)
        return true
    }

    static func addChdir(_ actions: inout posix_spawn_file_actions_t?, _ path: String) -> Int32 {
        posix_spawn_file_actions_addchdir_np(&actions, path)
    }
    #endif

    /// A pipe whose ends are close-on-exec from birth, so a program spawned by
    /// another thread at the same moment cannot inherit (and hold open) them.
    static func closeOnExecPipe(_ fds: inout [Int32]) -> Int32 {
        #if canImport(Glibc)
        if let f = pipe2Symbol { return f(&fds, O_CLOEXEC) }
        #endif
        let r = pipe(&fds)
        if r == 0 {
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        }
        return r
    }
}
