/// Background products inside a backward pass.
///
/// A linear layer's weight gradient Xᵀ·G is read by nothing else in the backward pass:
/// it is a result (or is summed with another gradient of the same weight). So instead of
/// making the caller wait for it, the product is queued for the kernel worker, and the
/// caller goes on with the input gradient G·Wᵀ and the layers below; the worker runs
/// queued products whenever it is not helping with the caller's kernels. Before, the two
/// products ran side by side and the thread with the faster one (the input gradient;
/// the weight gradient's transposed operand packs more) waited for the other.
///
/// Rules that keep this invisible:
/// - Work is queued only inside `Autodiff.backward` (not under `createGraph`), and every
///   backward pass waits for its thread's jobs before it returns or throws: no pending
///   tensor ever leaves it.
/// - A queued product's output storage is marked `pendingWrite` until waited for; any
///   primitive that gets such a tensor as an input, and any backward rule that gets one as
///   its cotangent, first waits for this thread's jobs.
/// - Each product runs whole on one thread, the serial `sgemm`'s operations, so results
///   are bit-identical to running it in place, whoever runs it.
enum DeferredWork {
    /// Whether a backward rule may queue work: inside a backward pass, on exactly two
    /// kernel threads (as `sgemmPair`), with a worker to run it.
    static func available(_ ad: ADState) -> Bool {
        ad.backwardDepth > 0 && Kernels.resolvedThreads(nil) == 2 && WorkerPool.shared.acceptsDeferredJobs
    }

    /// Queues `work`, which writes `output`'s storage and reads the `reads` tensors.
    static func queue(output: Tensor, reads: [Tensor], _ ad: ADState, _ work: @escaping () -> Void) {
        let job = DeferredJob(keeping: [output.storage] + reads.map(\.storage), work)
        output.storage.pendingWrite = true
        ad.deferred.append((job, output.storage))
        WorkerPool.shared.submit(job)
    }

    /// Waits for every job this thread queued: runs those no worker has started (newest
    /// first, as the worker takes the oldest), then waits for the rest.
    static func waitAll(_ ad: ADState) {
        let jobs = ad.deferred
        if jobs.isEmpty { return }
        ad.deferred = []
        for entry in jobs.reversed() { entry.job.runIfUnclaimed() }
        for entry in jobs {
            entry.job.wait()
            entry.output.pendingWrite = false
        }
    }

    /// Waits for this thread's jobs if any of `tensors` is still being written by one.
    @inline(__always)
    static func waitIfPending(_ tensors: [Tensor], _ ad: ADState) {
        for t in tensors where t.storage.pendingWrite {
            waitAll(ad)
            return
        }
    }
}
