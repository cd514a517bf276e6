import TensorCore

/// `parallel`: fixed cost of one `Kernels.parallelFor` fork/join with trivial chunks,
/// in microseconds (what a kernel must amortise before threading pays).
enum ParallelBench: BenchSection {
    static let name = "parallel"

    static func run(_ report: Reporter) {
        let sink = UnsafeMutablePointer<Int>.allocate(capacity: 64)
        defer { sink.deallocate() }
        sink.initialize(repeating: 0, count: 64)
        for t in [1, 2] {
            nonisolated(unsafe) let s = sink
            let secs = medianSeconds {
                Kernels.parallelFor(chunks: 2, threads: t) { i in s[i * 16] &+= 1 }
            }
            report.record(section: name, case: "forkjoin-2-chunks", threads: t, metric: "us", value: secs * 1e6)
        }
    }
}
