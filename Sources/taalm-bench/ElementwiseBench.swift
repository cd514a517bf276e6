import TensorCore

/// `elementwise`: memory throughput of vectorised kernels (GB/s counting bytes read
/// plus bytes written) over 1M and 16M floats, 1 and 2 threads.
enum ElementwiseBench: BenchSection {
    static let name = "elementwise"

    static func run(_ report: Reporter) {
    }
}
