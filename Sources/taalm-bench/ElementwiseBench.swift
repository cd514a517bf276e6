import TensorCore

/// `elementwise`: memory throughput of vectorised kernels (GB/s counting bytes read
/// plus bytes written) over 1M and 16M floats, 1 and 2 threads.
enum ElementwiseBench: BenchSection {
    static let name = "elementwise"

    typealias Kernel = @Sendable (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int, Int) -> Void

    /// (name, floats moved per element, kernel(a, b, out, count, threads)).
    static let kernels: [(String, Int, Kernel)] = [
        ("add", 3, { Kernels.add($0, $1, $2, count: $3, threads: $4) }),
        ("mul", 3, { Kernels.mul($0, $1, $2, count: $3, threads: $4) }),
        ("exp", 2, { a, _, o, n, t in Kernels.exp(a, o, count: n, threads: t) }),
        ("gelu", 2, { a, _, o, n, t in Kernels.gelu(a, o, count: n, threads: t) }),
        ("sum", 1, { a, _, o, n, t in o[0] = Kernels.sum(a, count: n, threads: t) }),
        ("softmax1k", 2, { a, _, o, n, t in Kernels.softmaxRows(a, o, rows: n / 1024, cols: 1024, threads: t) }),
    ]

    static func run(_ report: Reporter) {
        for count in [1 << 20, 1 << 24] {
            let a = randomBuffer(count, seed: 3), b = randomBuffer(count, seed: 4)
            let out = UnsafeMutablePointer<Float>.allocate(capacity: count)
            defer { a.deallocate(); b.deallocate(); out.deallocate() }
            for (kname, floats, kernel) in kernels {
                for t in [1, 2] {
                    let secs = medianSeconds(budget: 0.15, samples: 5) { kernel(a, b, out, count, t) }
                    let gbps = Double(floats * 4 * count) / secs / 1e9
                    report.record(section: name, case: "\(kname) \(count >> 20)M", threads: t,
                                  metric: "gbps", value: gbps)
                }
            }
        }
    }
}
