import Synchronization

/// Kernel work handed to the kernel worker to run in the background while the caller goes
/// on (a linear layer's weight and bias gradients, which nothing in the backward pass
/// reads until the end). Exactly one thread runs it: the worker when it is idle, or the
/// caller when it waits for its jobs first. Jobs run on one thread (`threads: 1`), whose
/// kernels do the same operations as on any thread count, so the result does not depend
/// on who ran it.
final class DeferredJob: @unchecked Sendable {
    private let work: () -> Void
    /// Operands and output, kept alive until the job has run.
    private let keep: [AnyObject]
    /// 0 queued, 1 running, 2 done.
    private let state = Atomic<Int>(0)

    /// `work` must only read memory that `keeping` holds alive and that nothing writes
    /// until the job is done, and write memory nothing else touches until then.
    init(keeping storages: [AnyObject], _ work: @escaping () -> Void) {
        self.work = work
        self.keep = storages
    }

    /// Runs the job unless another thread has claimed it; true if this call ran it.
    @discardableResult
    func runIfUnclaimed() -> Bool {
        guard state.compareExchange(expected: 0, desired: 1, ordering: .acquiring).exchanged else { return false }
        work()
        state.store(2, ordering: .releasing)
        return true
    }

    /// Returns once the job has run (on whichever thread).
    func wait() {
        while state.load(ordering: .acquiring) != 2 {}
    }
}

extension WorkerPool {
    /// Whether a deferred job can run beside the caller: there is a worker to run it.
    var acceptsDeferredJobs: Bool { workerCount > 0 }
}
