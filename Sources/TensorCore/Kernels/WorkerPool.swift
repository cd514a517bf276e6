import Dispatch
import Foundation
import Synchronization

/// Persistent worker threads for `Kernels.parallelFor`.
///
/// Why not only `DispatchQueue.concurrentPerform`: on this VM its worker wake-up is
/// erratic (sometimes the second core never joins), which halves 2-thread GEMM. Here
/// each worker spins briefly after a job (so back-to-back kernels start in well under a
/// microsecond) and then sleeps on a semaphore.
///
/// Protocol: the caller writes the job (`body`, `participants`), opens the claim
/// counter with a release store, bumps `generation` and wakes sleepers. Anyone (caller
/// or worker) claims a chunk with one acquiring fetch-add on `next`, which packs the
/// next chunk index (high 32 bits) with the job's chunk count (low 32 bits), so a claim
/// is judged valid against the count of the very job it was taken from. (Reading the
/// count separately let a worker whose claim came from a finished job compare it with
/// the *next* job's larger count and run a chunk twice.) With one worker, the first half
/// of the chunks has its own counter of the same kind, `nextCaller` (index 0, count =
/// half), and `next` starts at index half. The caller runs chunks too, waits until
/// `done == chunks`, then closes both counters. Only one job runs at a time
/// (`busy`); `run` returns false to a concurrent second caller, which then uses Dispatch.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool(workers: max(ProcessInfo.processInfo.activeProcessorCount - 1, 0))

    let workerCount: Int
    private let generation = Atomic<Int>(0)
    private let next = Atomic<Int>(WorkerPool.closed)
    /// The caller's own range of chunks (the first half), when one worker helps (see `run`).
    private let nextCaller = Atomic<Int>(WorkerPool.closed)
    private let done = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private let sleepers = Atomic<Int>(0)
    private let wake = DispatchSemaphore(value: 0)
    // Job state, published by the release stores to `nextCaller` and `next`.
    private nonisolated(unsafe) var body: ((Int) -> Void)?
    private nonisolated(unsafe) var participants = 0
    /// Background jobs (`DeferredJob`), oldest first, and how many are queued (read
    /// without the lock by idle workers).
    private let deferred = Mutex<[DeferredJob]>([])
    private let deferredCount = Atomic<Int>(0)

    /// `next` between jobs: index 2^20, count 0, so every claim is invalid (and the few
    /// late fetch-adds of idle workers cannot overflow it).
    private static let closed = (1 << 20) << 32
    private static let claimStep = 1 << 32

    /// Claims the next chunk of the open job, or returns nil when none is left.
    @inline(__always)
    private func claim(from counter: borrowing Atomic<Int>) -> Int? {
        let packed = counter.add(WorkerPool.claimStep, ordering: .acquiring).oldValue
        let index = packed >> 32
        return index < packed & 0xFFFF_FFFF ? index : nil
    }

    /// A chunk for the caller: its own range first, then the workers' range.
    @inline(__always)
    private func claimForCaller() -> Int? {
        claim(from: nextCaller) ?? claim(from: next)
    }

    /// A chunk for a worker: the workers' range first, then the caller's.
    @inline(__always)
    private func claimForWorker() -> Int? {
        claim(from: next) ?? claim(from: nextCaller)
    }

    /// How long an idle worker polls for the next job without pause.
    static let spinNanoseconds: UInt64 = 200_000

    init(workers: Int) {
        workerCount = min(workers, 15)
        for w in 0..<workerCount {
            let t = Thread { [unowned self] in self.workerLoop(index: w) }
            t.name = "taalm-kernels-\(w)"
            t.start()
        }
    }

    /// Runs `body(i)` for i in 0..<chunks on the caller plus up to `threads - 1` workers.
    /// Returns false (having done nothing) if the pool is busy or has no workers.
    ///
    /// With one worker, the caller claims chunks from the first half and the worker from
    /// the second, each taking the other's leftovers when its own half is done. So the
    /// caller handles the first rows of every kernel's output and the worker the last
    /// rows, and the next kernel finds its half of its input in its own core's cache
    /// (with one shared claim counter, rows went to whichever thread asked first). The
    /// `small` training step: 0.96–0.99 of the time in seven alternating runs.
    func run(chunks: Int, threads: Int, _ body: (Int) -> Void) -> Bool {
        if workerCount == 0 || chunks >= 1 << 31 { return false }
        if !busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
            return false
        }
        defer { busy.store(false, ordering: .releasing) }
        withoutActuallyEscaping(body) { escapable in
            self.body = escapable
            self.participants = min(threads - 1, workerCount)
            done.store(0, ordering: .relaxed)
            let split = self.participants == 1 ? (chunks + 1) / 2 : 0
            nextCaller.store(split, ordering: .releasing)  // index 0 of `split`
            next.store(split << 32 | chunks, ordering: .releasing)  // index `split` of `chunks`
            generation.add(1, ordering: .releasing)
            let sleeping = sleepers.exchange(0, ordering: .acquiringAndReleasing)
            if KernelProfile.enabled && KernelProfile.active { KernelProfile.recordJob(workerSleeping: sleeping > 0) }
            for _ in 0..<sleeping { wake.signal() }
            while let i = claimForCaller() {
                escapable(i)
                done.add(1, ordering: .releasing)
            }
            while done.load(ordering: .acquiring) < chunks {}
            next.store(WorkerPool.closed, ordering: .relaxed)
            nextCaller.store(WorkerPool.closed, ordering: .relaxed)
            self.body = nil
        }
        return true
    }

    private func workerLoop(index: Int) {
        var seen = generation.load(ordering: .acquiring)
        while true {
            // Wait for a new generation: spin first, then sleep.
            var start = DispatchTime.now().uptimeNanoseconds
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                if deferredCount.load(ordering: .relaxed) > 0, let job = takeDeferred() {
                    job.runIfUnclaimed()
                    start = DispatchTime.now().uptimeNanoseconds
                    spins = 0
                    continue
                }
                spins += 1
                if spins & 1023 == 0 {
                    let idle = DispatchTime.now().uptimeNanoseconds - start
                    if idle > Kernels.workerPollNanoseconds {
                        sleepers.add(1, ordering: .sequentiallyConsistent)
                        if generation.load(ordering: .acquiring) == seen
                            && deferredCount.load(ordering: .sequentiallyConsistent) == 0 { wake.wait() }
                        // A leftover signal only causes one extra harmless loop.
                        spins = 0
                    } else if idle > WorkerPool.spinNanoseconds {
                        // Past the hard spin, keep polling but give the core to any other
                        // runnable thread between polls.
                        sched_yield()
                    }
                }
            }
            seen = generation.load(ordering: .acquiring)
            if index >= participants { continue }
            while let i = claimForWorker() {
                runChunk(i)
                done.add(1, ordering: .releasing)
            }
        }
    }

    /// Queues a background job for an idle worker (waking a sleeping one). The caller
    /// must `wait()` for it (or run it itself) before reading its output.
    func submit(_ job: DeferredJob) {
        deferred.withLock { $0.append(job) }
        deferredCount.add(1, ordering: .sequentiallyConsistent)
        let sleeping = sleepers.exchange(0, ordering: .sequentiallyConsistent)
        for _ in 0..<sleeping { wake.signal() }
    }

    /// The oldest queued background job, removed from the queue (it may already have been
    /// run by its owner: `runIfUnclaimed` then does nothing).
    private func takeDeferred() -> DeferredJob? {
        deferred.withLock { q -> DeferredJob? in
            guard !q.isEmpty else { return nil }
            deferredCount.subtract(1, ordering: .relaxed)
            return q.removeFirst()
        }
    }

    /// Calls the job's body outside the worker loop. The call copies (retains) the
    /// closure; keeping that copy inside a function the optimiser may not inline makes
    /// sure it is released before the worker reports the chunk done, or `run`'s
    /// `withoutActuallyEscaping` could see the closure still referenced and trap.
    @inline(never)
    private func runChunk(_ i: Int) {
        body?(i)
    }
}
