import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a computation's time goes, for `taalm-bench`'s profile (`TAALM_BENCH_PROFILE=1`):
/// the wall time of each primitive's forward kernel by name and input shapes (a VJP or
/// JVP rule's ops are primitives too, so backward passes are covered), the GEMMs' time
/// and flops as the calling thread sees them (both threads at work), and how many kernel
/// jobs found the worker thread asleep.
///
/// Off by default; when off it costs one flag test per primitive. Only the thread that
/// called `start()` is recorded (other threads' primitives are ignored).
public enum KernelProfile {
    public struct Entry: Sendable {
        public var name: String
        public var nanoseconds: Int
        public var calls: Int
    }

    nonisolated(unsafe) public private(set) static var enabled = false
    nonisolated(unsafe) static var owner = pthread_self()
    nonisolated(unsafe) static var entries: [String: Entry] = [:]
    nonisolated(unsafe) public private(set) static var gemmNanoseconds = 0
    nonisolated(unsafe) public private(set) static var gemmFlops = 0
    nonisolated(unsafe) public private(set) static var gemmCalls = 0
    nonisolated(unsafe) public private(set) static var jobs = 0
    nonisolated(unsafe) public private(set) static var jobsWithSleepingWorker = 0

    /// Clears the counters and starts recording.
    public static func start() {
        entries = [:]
        gemmNanoseconds = 0; gemmFlops = 0; gemmCalls = 0
        jobs = 0; jobsWithSleepingWorker = 0
        owner = pthread_self()
        enabled = true
    }

    /// Stops recording; returns the primitives, most time first.
    @discardableResult
    public static func stop() -> [Entry] {
        enabled = false
        return entries.values.sorted { $0.nanoseconds > $1.nanoseconds }
    }

    static var now: Int { Int(DispatchTime.now().uptimeNanoseconds) }

    /// True when recording and on the thread that started it.
    @inline(__always)
    static var active: Bool { enabled && pthread_equal(owner, pthread_self()) != 0 }

    static func record(_ name: @autoclosure () -> String, since t0: Int) {
        let key = name(), dt = now - t0
        entries[key, default: Entry(name: key, nanoseconds: 0, calls: 0)].nanoseconds += dt
        entries[key, default: Entry(name: key, nanoseconds: 0, calls: 0)].calls += 1
    }

    static func recordGEMM(flops: Int, since t0: Int) {
        gemmNanoseconds += now - t0
        gemmFlops += flops
        gemmCalls += 1
    }

    static func recordJob(workerSleeping: Bool) {
        jobs += 1
        if workerSleeping { jobsWithSleepingWorker += 1 }
    }
}
