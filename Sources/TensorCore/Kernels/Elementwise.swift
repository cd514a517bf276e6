// Vectorised elementwise kernels over raw Float pointers.
//
// Contract for every kernel here: `count ≥ 0` elements are read from each input and
// written to `out`; `out` may be the same pointer as an input (in place) but must not
// partially overlap one. Tails shorter than 16 lanes go through the same SIMD function
// (padded lanes), so an element's result never depends on its position or on the
// thread count. Large counts are split over `threads` (default `Kernels.threads`).

extension Kernels {
    /// Elements per parallel chunk (and the minimum count before threading is used).
    /// 32K: with 64K, the meta-step's [8, 64, 128] activations (65,536 elements: one
    /// chunk) ran every elementwise and row kernel on one thread; with 32K they split in
    /// two — alternating steps in one process: forward meta-step 3–6 % and second-order
    /// 6–7 % faster, `small` training unchanged; 16K measured 0–3 % slower than 32K.
    static let elementwiseChunk = 1 << 15
    /// The same for kernels that evaluate an exponential (or a division) per element —
    /// exp, log, tanh, sigmoid, GELU and its derivative, softmax and cross-entropy rows —
    /// at ~3 cycles an element: chunks of 8K elements (~8 µs) still dwarf a job's hand-off.
    /// Measured with alternating steps in one process: `tiny` training 2.86 → 2.73 ms
    /// (chunks of 64K / 16K / 8K: 2.86 / 2.77 / 2.73), `small` unchanged (38.8–39.3).
    static let transcendentalChunk = 1 << 13

    @inline(__always)
    static func load16(_ p: UnsafePointer<Float>) -> F16 {
        UnsafeRawPointer(p).loadUnaligned(as: F16.self)
    }
    @inline(__always)
    static func store16(_ v: F16, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: F16.self)
    }
    /// The lane numbers 0...15, for masks of a vector's first n lanes (`lanes16 .< n`).
    @inline(__always)
    static var lanes16: SIMD16<Int32> { SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) }
    /// Loads `n < 16` floats into the low lanes (others 0).
    @inline(__always)
    static func loadPartial(_ p: UnsafePointer<Float>, _ n: Int) -> F16 {
        var v = F16()
        for i in 0..<n { v[i] = p[i] }
        return v
    }
    @inline(__always)
    static func storePartial(_ v: F16, _ p: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { p[i] = v[i] }
    }

    /// Splits `count` elements into fixed chunks run by `parallelFor` (inline when small).
    @inline(__always)
    static func forChunks(count: Int, threads: Int?, chunk: Int = elementwiseChunk,
                          _ body: (_ start: Int, _ n: Int) -> Void) {
        if count <= chunk || resolvedThreads(threads) == 1 {
            body(0, count)
            return
        }
        let chunks = (count + chunk - 1) / chunk
        parallelFor(chunks: chunks, threads: threads) { i in
            let s = i * chunk
            body(s, min(chunk, count - s))
        }
    }

    /// out[i] = f(a[i]) with a SIMD16 function. Generic over the op type (not a
    /// closure) so each use is specialised and the op inlined into the loop.
    @inline(__always)
    static func map<Op: VectorMap>(_ a: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                                   count: Int, threads: Int?, chunk: Int = elementwiseChunk, _ f: Op) {
        nonisolated(unsafe) let (a, out) = (a, out)
        forChunks(count: count, threads: threads, chunk: chunk) { s, n in
            var i = 0
            while i + 16 <= n {
                store16(f.apply(load16(a + s + i)), out + s + i)
                i += 16
            }
            if i < n { storePartial(f.apply(loadPartial(a + s + i, n - i)), out + s + i, n - i) }
        }
    }

    /// out[i] = f(a[i], b[i]) with a SIMD16 function.
    @inline(__always)
    static func zip<Op: VectorZip>(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                   _ out: UnsafeMutablePointer<Float>, count: Int, threads: Int?,
                                   chunk: Int = elementwiseChunk, _ f: Op) {
        nonisolated(unsafe) let (a, b, out) = (a, b, out)
        forChunks(count: count, threads: threads, chunk: chunk) { s, n in
            var i = 0
            while i + 16 <= n {
                store16(f.apply(load16(a + s + i), load16(b + s + i)), out + s + i)
                i += 16
            }
            if i < n {
                let r = n - i
                storePartial(f.apply(loadPartial(a + s + i, r), loadPartial(b + s + i, r)), out + s + i, r)
            }
        }
    }

    // MARK: Binary

    /// out = a + b, elementwise.
    public static func add(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                           _ out: UnsafeMutablePointer<Float>, count: Int, threads: Int? = nil) {
        zip(a, b, out, count: count, threads: threads, AddOp())
    }
    /// out = a - b, elementwise.
    public static func sub(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                           _ out: UnsafeMutablePointer<Float>, count: Int, threads: Int? = nil) {
        zip(a, b, out, count: count, threads: threads, SubOp())
    }
    /// out = a * b, elementwise.
    public static func mul(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                           _ out: UnsafeMutablePointer<Float>, count: Int, threads: Int? = nil) {
        zip(a, b, out, count: count, threads: threads, MulOp())
    }
    /// out = a / b, elementwise (IEEE: x/0 = ±inf, 0/0 = nan).
    public static func div(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                           _ out: UnsafeMutablePointer<Float>, count: Int, threads: Int? = nil) {
        zip(a, b, out, count: count, threads: threads, DivOp())
    }
    /// out = max(a, b), elementwise (NaN in either input gives NaN).
    public static func maximum(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                               _ out: UnsafeMutablePointer<Float>, count: Int, threads: Int? = nil) {
        zip(a, b, out, count: count, threads: threads, MaxOp())
    }

    // MARK: Scalar forms

    /// out = a · s, elementwise.
    public static func scale(_ a: UnsafePointer<Float>, by s: Float,
                             _ out: UnsafeMutablePointer<Float>, count: Int, threads: Int? = nil) {
        map(a, out, count: count, threads: threads, ScaleOp(s: F16(repeating: s)))
    }
    /// out = a + s, elementwise.
    public static func addScalar(_ a: UnsafePointer<Float>, _ s: Float,
                                 _ out: UnsafeMutablePointer<Float>, count: Int, threads: Int? = nil) {
        map(a, out, count: count, threads: threads, AddScalarOp(s: F16(repeating: s)))
    }
    /// y += alpha · x (BLAS axpy), elementwise, fused multiply-add.
    public static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>,
                            _ y: UnsafeMutablePointer<Float>, count: Int, threads: Int? = nil) {
        zip(x, y, y, count: count, threads: threads, AxpyOp(alpha: F16(repeating: alpha)))
    }
    /// Sets `count` floats to `value`.
    public static func fill(_ out: UnsafeMutablePointer<Float>, _ value: Float, count: Int) {
        if count > 0 { out.update(repeating: value, count: count) }
    }

    // MARK: Unary

    /// out = -a, elementwise.
    public static func neg(_ a: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                           count: Int, threads: Int? = nil) {
        map(a, out, count: count, threads: threads, NegOp())
    }
    /// out = e^a, elementwise (max relative error ≤ 2e-6; see Transcendental.swift).
    public static func exp(_ a: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                           count: Int, threads: Int? = nil) {
        map(a, out, count: count, threads: threads, chunk: transcendentalChunk, ExpOp())
    }
    /// out = ln a, elementwise (log 0 = -inf, log of a negative = nan).
    public static func log(_ a: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                           count: Int, threads: Int? = nil) {
        map(a, out, count: count, threads: threads, chunk: transcendentalChunk, LogOp())
    }
    /// out = tanh a, elementwise.
    public static func tanh(_ a: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                            count: Int, threads: Int? = nil) {
        map(a, out, count: count, threads: threads, chunk: transcendentalChunk, TanhOp())
    }
    /// out = 1 / (1 + e^{-a}), elementwise.
    public static func sigmoid(_ a: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                               count: Int, threads: Int? = nil) {
        map(a, out, count: count, threads: threads, chunk: transcendentalChunk, SigmoidOp())
    }
    /// out = GELU(a) with the tanh approximation 0.5·a·(1 + tanh(√(2/π)(a + 0.044715a³))).
    public static func gelu(_ a: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                            count: Int, threads: Int? = nil) {
        map(a, out, count: count, threads: threads, chunk: transcendentalChunk, GeluOp())
    }
    /// out = GELU'(a), the derivative of `gelu` (same tanh approximation).
    public static func geluGrad(_ a: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                                count: Int, threads: Int? = nil) {
        map(a, out, count: count, threads: threads, chunk: transcendentalChunk, GeluGradOp())
    }
    /// out = max(a, 0), elementwise (NaN stays NaN).
    public static func relu(_ a: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                            count: Int, threads: Int? = nil) {
        map(a, out, count: count, threads: threads, ReluOp())
    }
    /// out = √a, elementwise (negative → nan).
    public static func sqrt(_ a: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                            count: Int, threads: Int? = nil) {
        map(a, out, count: count, threads: threads, SqrtOp())
    }
}

/// A lane-wise unary SIMD16 operation (specialised into `Kernels.map`).
protocol VectorMap { func apply(_ x: F16) -> F16 }
/// A lane-wise binary SIMD16 operation (specialised into `Kernels.zip`).
protocol VectorZip { func apply(_ a: F16, _ b: F16) -> F16 }

struct AddOp: VectorZip { @inline(__always) func apply(_ a: F16, _ b: F16) -> F16 { a + b } }
struct SubOp: VectorZip { @inline(__always) func apply(_ a: F16, _ b: F16) -> F16 { a - b } }
struct MulOp: VectorZip { @inline(__always) func apply(_ a: F16, _ b: F16) -> F16 { a * b } }
struct DivOp: VectorZip { @inline(__always) func apply(_ a: F16, _ b: F16) -> F16 { a / b } }
struct MaxOp: VectorZip {
    @inline(__always) func apply(_ a: F16, _ b: F16) -> F16 {
        let m = a.replacing(with: b, where: b .> a)
        return m.replacing(with: a + b, where: (a .!= a) .| (b .!= b))
    }
}
struct AxpyOp: VectorZip {
    let alpha: F16
    @inline(__always) func apply(_ x: F16, _ y: F16) -> F16 { y.addingProduct(x, alpha) }
}
struct ScaleOp: VectorMap { let s: F16; @inline(__always) func apply(_ x: F16) -> F16 { x * s } }
struct AddScalarOp: VectorMap { let s: F16; @inline(__always) func apply(_ x: F16) -> F16 { x + s } }
struct NegOp: VectorMap { @inline(__always) func apply(_ x: F16) -> F16 { -x } }
struct ExpOp: VectorMap { @_transparent func apply(_ x: F16) -> F16 { Kernels.exp16(x) } }
struct LogOp: VectorMap { @_transparent func apply(_ x: F16) -> F16 { Kernels.log16(x) } }
struct TanhOp: VectorMap { @_transparent func apply(_ x: F16) -> F16 { Kernels.tanh16(x) } }
struct SigmoidOp: VectorMap { @_transparent func apply(_ x: F16) -> F16 { Kernels.sigmoid16(x) } }
struct GeluOp: VectorMap { @_transparent func apply(_ x: F16) -> F16 { Kernels.gelu16(x) } }
struct GeluGradOp: VectorMap { @_transparent func apply(_ x: F16) -> F16 { Kernels.geluGrad16(x) } }
struct ReluOp: VectorMap {
    @inline(__always) func apply(_ x: F16) -> F16 { x.replacing(with: 0, where: x .< 0) }
}
struct SqrtOp: VectorMap { @inline(__always) func apply(_ x: F16) -> F16 { x.squareRoot() } }
