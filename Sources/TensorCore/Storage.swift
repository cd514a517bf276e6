import Synchronization

/// Contiguous Float32 memory owned by one or more tensors (tensors are immutable, so
/// reshapes and detached views share storage safely).
///
/// Buffers come from `BufferPool`, which keeps freed buffers by exact size and hands them
/// back to the next allocation of that size: a training loop that repeats the same
/// shapes stops touching the system allocator after its first step, and memory stays flat.
public final class Storage: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int
    /// True while a background job (`DeferredJob`) may still be writing this memory.
    /// Set and cleared only by the thread that queued the job (`DeferredWork`).
    var pendingWrite = false

    /// Allocates uninitialised storage for `count` floats.
    init(uninitializedCount count: Int) {
        self.count = count
        self.pointer = BufferPool.shared.take(count)
    }

    /// Allocates zero-filled storage for `count` floats.
    convenience init(zeros count: Int) {
        self.init(uninitializedCount: count)
        pointer.initialize(repeating: 0, count: count)
    }

    deinit { BufferPool.shared.give(pointer, count) }
}

/// A size-keyed cache of freed buffers (a caching allocator, as in PyTorch).
///
/// Bounded by `capacityBytes`; when a returned buffer would exceed it, the buffer is freed
/// to the system instead. Thread-safe (a mutex; uncontended in practice).
public final class BufferPool: Sendable {
    public static let shared = BufferPool()

    private struct State {
        var free: [Int: [UInt]] = [:]  // buffer addresses by element count
        var cachedBytes = 0
        var liveBytes = 0
        var peakLiveBytes = 0
    }
    private let state = Mutex(State())
    /// The most memory kept cached for reuse (default 1 GiB).
    public let capacityBytes: Int = 1 << 30

    func take(_ count: Int) -> UnsafeMutablePointer<Float> {
        let n = max(count, 1)
        let reused: UInt? = state.withLock { s in
            s.liveBytes += n * 4
            s.peakLiveBytes = max(s.peakLiveBytes, s.liveBytes)
            guard var list = s.free[n], let p = list.popLast() else { return nil }
            s.free[n] = list.isEmpty ? nil : list
            s.cachedBytes -= n * 4
            return p
        }
        if let a = reused, let p = UnsafeMutablePointer<Float>(bitPattern: a) { return p }
        return UnsafeMutablePointer<Float>.allocate(capacity: n)
    }

    func give(_ p: UnsafeMutablePointer<Float>, _ count: Int) {
        let n = max(count, 1)
        let keep: Bool = state.withLock { s in
            s.liveBytes -= n * 4
            guard s.cachedBytes + n * 4 <= capacityBytes else { return false }
            s.free[n, default: []].append(UInt(bitPattern: p))
            s.cachedBytes += n * 4
            return true
        }
        if !keep { p.deallocate() }
    }

    /// Bytes held by live tensors right now.
    public var liveBytes: Int { state.withLock { $0.liveBytes } }
    /// The largest `liveBytes` seen since the last `resetPeak()`.
    public var peakLiveBytes: Int { state.withLock { $0.peakLiveBytes } }
    /// Bytes kept in the cache for reuse.
    public var cachedBytes: Int { state.withLock { $0.cachedBytes } }
    /// Starts a new peak measurement from the current live size.
    public func resetPeak() { state.withLock { $0.peakLiveBytes = $0.liveBytes } }

    /// Returns every cached buffer to the system.
    public func trim() {
        let lists = state.withLock { s -> [[UInt]] in
            let l = Array(s.free.values)
            s.free = [:]
            s.cachedBytes = 0
            return l
        }
        for list in lists { for a in list { UnsafeMutablePointer<Float>(bitPattern: a)?.deallocate() } }
    }
}
