import Foundation

/// Raw-pointer compute kernels: blocked SIMD GEMM, vectorised elementwise maps,
/// transcendental functions and row-wise reductions.
///
/// Callers (the Tensor primitives) validate shapes; the kernels only document their
/// preconditions (pointer extents, non-negative sizes) and never trap on values
/// (NaN/inf flow through). Every kernel is deterministic: the arithmetic performed for
/// an output element does not depend on the thread count.
public enum Kernels {
    /// Number of threads kernels may use (1 or more). Defaults to the active processor
    /// count capped at `maxDefaultThreads`. Values below 1 are treated as 1.
    nonisolated(unsafe) public static var threads: Int = min(
        max(ProcessInfo.processInfo.activeProcessorCount, 1), maxDefaultThreads)

    /// How long an idle kernel worker keeps polling for the next job before it sleeps
    /// (nanoseconds): the first 200 µs spinning, the rest yielding the core between polls.
    /// A sleeping worker takes tens of microseconds to wake, during which the caller
    /// runs the job's chunks alone; a training step's kernels are often more than 200 µs
    /// apart (the serial work between them), so polling longer keeps both cores on them.
    nonisolated(unsafe) public static var workerPollNanoseconds: UInt64 = 2_000_000

    /// Upper bound for the default of `threads` (this project targets small machines).
    public static let maxDefaultThreads = 2

    /// The effective thread count for a call: the explicit argument if given, else
    /// `threads`, clamped to at least 1.
    @inline(__always)
    static func resolvedThreads(_ requested: Int?) -> Int {
        max(requested ?? threads, 1)
    }
}
