import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An OpenBLAS found at run time (`TAALM_BENCH_OPENBLAS=/path/to/libopenblas.so`, e.g. the
/// one numpy's wheel ships in `numpy.libs/`), so the `gemm` section can time the same
/// product in the same process, in alternating rounds: a shared, noisy machine then moves
/// both figures alike. taalm neither links nor needs it.
struct OpenBLASReference {
    /// cblas_sgemm with 64-bit integers (scipy-openblas64) or 32-bit ones (a system libopenblas).
    private enum Entry {
        case ilp64(@convention(c) (Int32, Int32, Int32, Int64, Int64, Int64, Float, UnsafePointer<Float>, Int64,
                                   UnsafePointer<Float>, Int64, Float, UnsafeMutablePointer<Float>, Int64) -> Void)
        case lp64(@convention(c) (Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>, Int32,
                                  UnsafePointer<Float>, Int32, Float, UnsafeMutablePointer<Float>, Int32) -> Void)
    }
    private let entry: Entry
    private let setThreads: (@convention(c) (Int32) -> Void)?
    let path: String

    /// nil (with the reason) when the library or its symbols are missing.
    static func load(_ path: String) -> (OpenBLASReference?, String?) {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            return (nil, "cannot load \(path): \(String(cString: dlerror()))")
        }
        func symbol(_ names: [String]) -> UnsafeMutableRawPointer? {
            for n in names { if let s = dlsym(handle, n) { return s } }
            return nil
        }
        let entry: Entry
        if let s = symbol(["scipy_cblas_sgemm64_", "cblas_sgemm64_"]) {
            entry = .ilp64(unsafeBitCast(s, to: (@convention(c) (Int32, Int32, Int32, Int64, Int64, Int64, Float, UnsafePointer<Float>, Int64,
                                                                 UnsafePointer<Float>, Int64, Float, UnsafeMutablePointer<Float>, Int64) -> Void).self))
        } else if let s = symbol(["cblas_sgemm", "scipy_cblas_sgemm"]) {
            entry = .lp64(unsafeBitCast(s, to: (@convention(c) (Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>, Int32,
                                                                UnsafePointer<Float>, Int32, Float, UnsafeMutablePointer<Float>, Int32) -> Void).self))
        } else {
            return (nil, "\(path) has no cblas_sgemm")
        }
        let threads = symbol(["scipy_openblas_set_num_threads64_", "openblas_set_num_threads64_", "openblas_set_num_threads"])
            .map { unsafeBitCast($0, to: (@convention(c) (Int32) -> Void).self) }
        return (OpenBLASReference(entry: entry, setThreads: threads, path: path), nil)
    }

    func set(threads: Int) { setThreads?(Int32(threads)) }

    /// C = op(A)·op(B), row-major, as `Kernels.sgemm` with `accumulate: false`.
    func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
               b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let rowMajor: Int32 = 101, noTrans: Int32 = 111, trans: Int32 = 112
        let ta = transA ? trans : noTrans, tb = transB ? trans : noTrans
        switch entry {
        case .ilp64(let f):
            f(rowMajor, ta, tb, Int64(m), Int64(n), Int64(k), 1, a, Int64(lda), b, Int64(ldb), 0, c, Int64(ldc))
        case .lp64(let f):
            f(rowMajor, ta, tb, Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), 0, c, Int32(ldc))
        }
    }
}
