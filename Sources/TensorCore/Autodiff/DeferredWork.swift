/// Background kernels inside a backward pass.
///
/// A linear layer's weight gradient Xᵀ·G is read by nothing else in the backward pass:
/// it is a result (or is summed with another gradient of the same weight); so are its
/// bias gradient and a layer norm's gain and bias gradients. So instead of making the
/// caller wait for them, they are queued for the kernel worker, and the caller goes on
/// with the input gradient G·Wᵀ and the layers below; the worker runs queued jobs
/// whenever it is not helping with the caller's kernels. Before, the two products ran
/// side by side and the thread with the faster one (the input gradient; the weight
/// gradient's transposed operand packs more) waited for the other.
///
/// Rules that keep this invisible:
/// - Work is queued only inside `Autodiff.backward` (not under `createGraph`), and every
///   backward pass waits for its thread's jobs before it returns or throws: no pending
///   tensor ever leaves it.
/// - A queued job's output storage is marked `pendingWrite` until waited for; any
///   primitive that gets such a tensor as an input, and any backward rule that gets one as
///   its cotangent, first waits for this thread's jobs.
/// - Each job runs whole on one thread, with kernels whose operations do not depend on
///   the thread count (the serial `sgemm`, `sumColumns`), so results are bit-identical to
///   running it in place, whoever runs it.
enum DeferredWork {
    /// Whether a backward rule may queue work: inside a backward pass that records
    /// nothing and carries no tangents, on exactly two kernel threads (as `sgemmPair`),
    /// with a worker to run it.
    static func available(_ ad: ADState) -> Bool {
        ad.backwardDepth > 0 && !ad.recording && ad.forwardLevel == 0
            && Kernels.resolvedThreads(nil) == 2 && WorkerPool.shared.acceptsDeferredJobs
    }

    /// Below this many values a reduction runs in place (queueing costs more than it saves).
    static let minQueuedValues = 1 << 16

    /// Σ over `t`'s leading axes ([..., D] → [D], a bias gradient), queued for the worker;
    /// nil when not worth queueing here (then `sum` computes the same: `sumColumns`).
    static func columnSums(_ t: Tensor, _ ad: ADState) -> Tensor? {
        nonisolated(unsafe) let src = UnsafePointer(t.storage.pointer)
        return queueColumnReduction(over: t, reads: [t], ad) { rows, cols, dst in
            Kernels.sumColumns(src, dst, rows: rows, cols: cols, threads: 1)
        }
    }

    /// `layer_norm_gain_grad(x, u)` queued for the worker; nil when not worth queueing.
    static func layerNormGainGrad(_ x: Tensor, _ u: Tensor, eps: Float, _ ad: ADState) -> Tensor? {
        guard x.shape == u.shape else { return nil }
        nonisolated(unsafe) let (xp, up) = (UnsafePointer(x.storage.pointer), UnsafePointer(u.storage.pointer))
        return queueColumnReduction(over: x, reads: [x, u], ad) { rows, cols, dst in
            Kernels.layerNormGainGradColumns(xp, up, dst, rows: rows, cols: cols, eps: eps, threads: 1)
        }
    }

    /// A reduction of `t`'s rows ([..., D] → [D]) queued for the worker: `kernel(rows, D,
    /// out)` fills the new [D] tensor. Nil when `t` is too small or nothing may be queued.
    private static func queueColumnReduction(over t: Tensor, reads: [Tensor], _ ad: ADState,
                                             _ kernel: @escaping (Int, Int, UnsafeMutablePointer<Float>) -> Void) -> Tensor? {
        guard t.rank >= 1, t.count >= minQueuedValues, available(ad) else { return nil }
        let cols = t.shape[t.rank - 1], rows = t.count / Swift.max(cols, 1)
        let out = Tensor(uninitialized: [cols])
        nonisolated(unsafe) let dst = out.storage.pointer
        queue(output: out, reads: reads, ad) { kernel(rows, cols, dst) }
        return out
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

extension Optional where Wrapped == Tensor {
    /// The tensor, or `fallback()` when nil (`??` with a typed throw).
    func orElse(_ fallback: () throws(TensorError) -> Tensor) throws(TensorError) -> Tensor {
        if let t = self { return t }
        return try fallback()
    }
}
