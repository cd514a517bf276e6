#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs evaluation on a thread with a large stack, so the recursion limit (not the Swift
/// stack) is what stops deep taalm recursion. Also reports the current thread's stack
/// floor, which calls check as a second line of defence.
enum BigStack {
    private final class Job {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Runs `body` synchronously on a fresh thread with `size` bytes of stack (or on the
    /// current thread when such a thread cannot be created).
    static func run(size: Int, _ body: () -> Void) {
        withoutActuallyEscaping(body) { escapable in
            let job = Unmanaged.passRetained(Job(escapable))
            var attr = pthread_attr_t()
            pthread_attr_init(&attr)
            defer { pthread_attr_destroy(&attr) }
            var ok = pthread_attr_setstacksize(&attr, size) == 0
            #if canImport(Glibc)
            var thread = pthread_t()
            #else
            var thread: pthread_t?
            #endif
            if ok {
                ok = pthread_create(&thread, &attr, { raw in
                    #if canImport(Glibc)
                    let job = Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue()
                    #else
                    let job = Unmanaged<Job>.fromOpaque(raw).takeRetainedValue()
                    #endif
                    job.body()
                    return nil
                }, job.toOpaque()) == 0
            }
            if ok {
                #if canImport(Glibc)
                pthread_join(thread, nil)
                #else
                if let thread { pthread_join(thread, nil) }
                #endif
            } else {
                job.release()
                escapable()
            }
        }
    }

    /// The lowest stack address calls may reach on this thread, given that about `size`
    /// bytes of stack remain below the caller (a margin is kept for natives and deinit chains).
    static func floor(remaining size: Int, margin: Int = 1 << 20) -> UInt {
        var marker: UInt8 = 0
        let here = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
        let usable = UInt(max(0, size - margin))
        return here > usable ? here - usable : 0
    }

    /// Stack bytes the current (non-evaluation) thread is assumed to have left: half its rlimit.
    static var currentThreadAllowance: Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_STACK.rawValue), &limit) == 0, limit.rlim_cur < (1 << 40) else { return 4 << 20 }
        return Int(min(limit.rlim_cur, 1 << 30)) / 2
    }
}
