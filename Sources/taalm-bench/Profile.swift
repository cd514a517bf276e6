import Foundation
import TensorCore

/// `TAALM_BENCH_PROFILE=1`: after a case is measured, runs `steps` more steps with
/// `KernelProfile` on and prints (to stderr) where a step's wall time goes: the
/// primitives' kernels by name and input shapes (`top` of them), the GEMMs' share and
/// their in-place GFLOP/s (compare with the `gemm` section's isolated figures), the
/// time outside any primitive (autodiff bookkeeping, the optimiser, glue), and how many
/// kernel jobs had to wake a sleeping worker. Work a backward pass hands to the kernel
/// worker (`DeferredWork`: linear and layer-norm parameter gradients) runs beside the
/// listed primitives and is not in their times or the GEMM figures.
enum Profile {
    static var requested: Bool { ProcessInfo.processInfo.environment["TAALM_BENCH_PROFILE"] != nil }

    /// How many primitives the listing shows: `TAALM_BENCH_PROFILE_TOP` (default 25).
    static var top: Int { ProcessInfo.processInfo.environment["TAALM_BENCH_PROFILE_TOP"].flatMap { Int($0) } ?? 25 }

    static func run(_ label: String, steps: Int = 10, top: Int = Profile.top, _ step: () throws -> Void) rethrows {
        guard requested else { return }
        let clock = ContinuousClock()
        KernelProfile.start()
        let t0 = clock.now
        for _ in 0..<steps { try step() }
        let wall = TrainBench.seconds(clock.now - t0) * 1000 / Double(steps)
        let entries = KernelProfile.stop()
        let per = { (ns: Int) in Double(ns) / 1e6 / Double(steps) }
        var lines = ["profile \(label): \(TrainBench.fmt(wall)) ms/step over \(steps) steps"]
        let inPrims = per(entries.reduce(0) { $0 + $1.nanoseconds })
        let gemm = per(KernelProfile.gemmNanoseconds)
        let rate = Double(KernelProfile.gemmFlops) / Double(max(KernelProfile.gemmNanoseconds, 1))
        lines.append("  GEMMs (linear layers, matmul): \(TrainBench.fmt(gemm)) ms/step (\(pct(gemm, wall))), \(KernelProfile.gemmCalls / steps) calls, \(TrainBench.fmt(rate)) GFLOP/s in place")
        lines.append("  outside primitives: \(TrainBench.fmt(wall - inPrims)) ms/step (\(pct(wall - inPrims, wall)))")
        lines.append("  kernel jobs: \(KernelProfile.jobs / steps)/step, \(pct(Double(KernelProfile.jobsWithSleepingWorker), Double(max(KernelProfile.jobs, 1)))) found the worker asleep")
        lines.append("  primitives (ms/step, calls/step, share of wall; parameter gradients queued in backward passes run beside them, not counted):")
        for e in entries.prefix(top) {
            lines.append("    \(TrainBench.fmt(per(e.nanoseconds)).leftPad(7))  \(String(e.calls / steps).leftPad(4))  \(pct(per(e.nanoseconds), wall).leftPad(6))  \(e.name)")
        }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }

    static func pct(_ part: Double, _ whole: Double) -> String {
        String(format: "%.1f %%", 100 * part / max(whole, 1e-12))
    }
}

private extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
