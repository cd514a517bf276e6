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
/// Protocol: the caller writes the job (`body`, `chunks`, `participants`), opens the
/// chunk counter with a release store, bumps `generation` and wakes sleepers. Anyone
/// (caller or worker) claims chunk indices with an acquiring fetch-add; a claim
/// `< chunks` is valid for the job it observed. The caller runs chunks too, waits until
/// `done == chunks`, then closes the counter. Only one job runs at a time (`busy`);
/// a concurrent second caller runs its chunks inline instead.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool(workers: max(ProcessInfo.processInfo.activeProcessorCount - 1, 0))

    private let workerCount: Int
    private let generation = Atomic<Int>(0)
    private let next = Atomic<Int>(Int.max / 2)
    private let done = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    private let sleepers = Atomic<Int>(0)
    private let wake = DispatchSemaphore(value: 0)
    // Job state, published by the release store to `next`.
    private nonisolated(unsafe) var body: ((Int) -> Void)?
    private nonisolated(unsafe) var chunks = 0
    private nonisolated(unsafe) var participants = 0

    /// How long an idle worker polls for the next job before sleeping.
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
    func run(chunks: Int, threads: Int, _ body: (Int) -> Void) -> Bool {
        if workerCount == 0 { return false }
        if !busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
            return false
        }
        defer { busy.store(false, ordering: .releasing) }
        withoutActuallyEscaping(body) { escapable in
            self.body = escapable
            self.chunks = chunks
            self.participants = min(threads - 1, workerCount)
            done.store(0, ordering: .relaxed)
            next.store(0, ordering: .releasing)
            generation.add(1, ordering: .releasing)
            let sleeping = sleepers.exchange(0, ordering: .acquiringAndReleasing)
            for _ in 0..<sleeping { wake.signal() }
            while true {
                let i = next.add(1, ordering: .acquiring).oldValue
                if i >= chunks { break }
                escapable(i)
                done.add(1, ordering: .releasing)
            }
            while done.load(ordering: .acquiring) < chunks {}
            next.store(Int.max / 2, ordering: .relaxed)
            self.body = nil
        }
        return true
    }

    private func workerLoop(index: Int) {
        var seen = generation.load(ordering: .acquiring)
        while true {
            // Wait for a new generation: spin first, then sleep.
            let start = DispatchTime.now().uptimeNanoseconds
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                if spins & 1023 == 0,
                   DispatchTime.now().uptimeNanoseconds - start > WorkerPool.spinNanoseconds {
                    sleepers.add(1, ordering: .acquiringAndReleasing)
                    if generation.load(ordering: .acquiring) == seen { wake.wait() }
                    // A leftover signal only causes one extra harmless loop.
                    spins = 0
                }
            }
            seen = generation.load(ordering: .acquiring)
            if index >= participants { continue }
            while true {
                let i = next.add(1, ordering: .acquiring).oldValue
                if i >= chunks { break }
                body?(i)
                done.add(1, ordering: .releasing)
            }
        }
    }
}
