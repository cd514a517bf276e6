/// One named group of benchmark cases (e.g. `gemm`, `elementwise`).
protocol BenchSection {
    /// The name used on the command line and in the `section` field of results.
    static var name: String { get }
    /// Runs every case of the section, reporting each result to `report`.
    static func run(_ report: Reporter)
    /// False for long sections that run only when named on the command line.
    static var runsByDefault: Bool { get }
}

extension BenchSection {
    static var runsByDefault: Bool { true }
}
