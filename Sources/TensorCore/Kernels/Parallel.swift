import Dispatch
import Synchronization

extension Kernels {
    /// Runs `body(chunkIndex)` for every `chunkIndex` in `0..<chunks` on up to `threads`
    /// threads (default `Kernels.threads`) and returns when all have finished.
    ///
    /// Runs inline on the caller when the effective thread count is 1 or `chunks <= 1`.
    /// Chunks are claimed dynamically, so `body` must not depend on which thread runs a
    /// chunk; it must only write memory that no other chunk writes. `chunks <= 0` does
    /// nothing.
    public static func parallelFor(chunks: Int, threads: Int? = nil, _ body: (Int) -> Void) {
        if chunks <= 0 { return }
        let t = min(resolvedThreads(threads), chunks)
        if t == 1 {
            for i in 0..<chunks { body(i) }
            return
        }
        if WorkerPool.shared.run(chunks: chunks, threads: t, body) { return }
        // Pool busy (a concurrent caller): fall back to Dispatch.
        // `body` is not @Sendable (it captures pointers); the chunk contract above is
        // what makes running it concurrently sound.
        withoutActuallyEscaping(body) { escapable in
            nonisolated(unsafe) let work = escapable
            DispatchQueue.concurrentPerform(iterations: chunks) { work($0) }
        }
    }
}

/// A 64-byte-aligned scratch buffer of Floats, owned by one worker at a time.
final class ScratchBuffer: @unchecked Sendable {
    private(set) var pointer: UnsafeMutablePointer<Float>
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: self.capacity * 4, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: self.capacity)
    }

    /// Grows (never shrinks) to hold at least `count` floats; contents are not kept.
    func reserve(_ count: Int) {
        if count <= capacity { return }
        pointer.deallocate()
        capacity = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count * 4, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: count)
    }

    deinit { pointer.deallocate() }
}

/// A lock-protected stack of scratch buffers, so kernels reuse their packing memory
/// across calls instead of allocating per call. A caller takes a buffer, uses it
/// exclusively, and gives it back; concurrent callers simply get different buffers.
final class ScratchPool: Sendable {
    private let free = Mutex<[ScratchBuffer]>([])

    /// Takes a buffer with room for at least `count` floats.
    func take(_ count: Int) -> ScratchBuffer {
        let b = free.withLock { $0.popLast() } ?? ScratchBuffer(capacity: count)
        b.reserve(count)
        return b
    }

    /// Returns a buffer to the pool (kept for the next caller).
    func give(_ buffer: ScratchBuffer) {
        free.withLock { stack in
            if stack.count < 8 { stack.append(buffer) }
        }
    }

    /// Runs `body` with a buffer of at least `count` floats, then returns it to the pool.
    @inline(__always)
    func with<R>(_ count: Int, _ body: (UnsafeMutablePointer<Float>) -> R) -> R {
        let b = take(count)
        defer { give(b) }
        return body(b.pointer)
    }
}
