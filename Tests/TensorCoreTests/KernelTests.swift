import Foundation
import Testing
import TensorCore

let lengths = [0, 1, 15, 16, 17, 1000]

/// Applies a raw-pointer kernel `(in, out, count)` to an array.
func apply(_ x: [Float], _ k: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) -> [Float] {
    var out = [Float](repeating: .nan, count: x.count)
    x.withUnsafeBufferPointer { xp in out.withUnsafeMutableBufferPointer { op in
        if let a = xp.baseAddress, let o = op.baseAddress { k(a, o, x.count) }
    } }
    return out
}

/// True when got ≈ want: same NaN-ness, equal infinities, else |got-want| ≤ rel·|want| + abs.
func close(_ got: Float, _ want: Double, rel: Double, abs absTol: Double = 0) -> Bool {
    if want.isNaN { return got.isNaN }
    if Float(want).isInfinite { return got == Float(want) }  // overflows in Float
    if !got.isFinite { return false }
    return Swift.abs(Double(got) - want) <= rel * Swift.abs(want) + absTol
}

struct UnaryCase: Sendable, CustomTestStringConvertible {
    let name: String
    let kernel: @Sendable (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
    let reference: @Sendable (Double) -> Double
    let range: ClosedRange<Float>
    let rel: Double, abs: Double
    let specials: [Float]
    var testDescription: String { name }
}

func geluRef(_ x: Double) -> Double {
    let u = 0.7978845608028654 * (x + 0.044715 * x * x * x)
    if x == -.infinity { return 0 }
    return x / (1 + Foundation.exp(-2 * u))
}
func sigmoidRef(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }
/// d/dx of `geluRef`: s + 2x·s(1 - s)·u' with s = sigmoid(2u).
func geluGradRef(_ x: Double) -> Double {
    if x == -.infinity { return 0 }
    if x == .infinity { return 1 }
    let c = 0.7978845608028654
    let u = c * (x + 0.044715 * x * x * x), du = c * (1 + 3 * 0.044715 * x * x)
    let s = sigmoidRef(2 * u)
    let d = s + 2 * x * s * (1 - s) * du
    return d.isNaN && !x.isNaN ? (x < 0 ? 0 : 1) : d
}

let specialFloats: [Float] = [0, -0, 1, -1, .infinity, -.infinity, .nan, 1e-30, -1e-30,
                              Float(1e-40 as Double), 88.7, 88.73, 89, -87.3, -100, -103.9, -110, 0.6249, 0.625,
                              -0.625, 9, -9, 20, -20, 100, -100, .greatestFiniteMagnitude]

let unaryCases: [UnaryCase] = [
    UnaryCase(name: "exp", kernel: { Kernels.exp($0, $1, count: $2) }, reference: { Foundation.exp($0) },
              range: -100...88, rel: 2e-6, abs: 1e-44, specials: specialFloats),
    UnaryCase(name: "log", kernel: { Kernels.log($0, $1, count: $2) }, reference: { Foundation.log($0) },
              range: 1e-6...1e6, rel: 2e-6, abs: 0, specials: specialFloats + [1.0001, 0.9999, Float(1e-45 as Double), 2, 0.5]),
    UnaryCase(name: "tanh", kernel: { Kernels.tanh($0, $1, count: $2) }, reference: { Foundation.tanh($0) },
              range: -12...12, rel: 2e-6, abs: 0, specials: specialFloats),
    UnaryCase(name: "sigmoid", kernel: { Kernels.sigmoid($0, $1, count: $2) }, reference: sigmoidRef,
              range: -90...90, rel: 2e-6, abs: 1e-44, specials: specialFloats),
    UnaryCase(name: "gelu", kernel: { Kernels.gelu($0, $1, count: $2) }, reference: geluRef,
              range: -12...12, rel: 1e-5, abs: 1e-7, specials: specialFloats),
    UnaryCase(name: "gelu_grad", kernel: { Kernels.geluGrad($0, $1, count: $2) }, reference: geluGradRef,
              range: -12...12, rel: 1e-5, abs: 1e-6, specials: specialFloats),
]

@Test("unary kernels match Double references", arguments: unaryCases)
func unaryMatchesReference(_ c: UnaryCase) {
    // Seeded per kernel (fixed inputs on every run), a different stream for each.
    var rng = TaalmRNG(seed: 72 &+ UInt64(unaryCases.firstIndex { $0.name == c.name } ?? 0))
    for n in lengths {
        var x = (0..<n).map { _ in Float.random(in: c.range, using: &rng) }
        if c.name == "log" { x = x.map { _ in Float(Foundation.exp(Double.random(in: -14...14, using: &rng))) } }
        let y = apply(x, c.kernel)
        let bad = zip(x, y).filter { !close($1, c.reference(Double($0)), rel: c.rel, abs: c.abs) }
        #expect(bad.isEmpty, "\(c.name) n=\(n): \(bad.prefix(3))")
    }
    let y = apply(c.specials, c.kernel)
    for (x, v) in zip(c.specials, y) {
        #expect(close(v, c.reference(Double(x)), rel: c.rel, abs: c.abs), "\(c.name)(\(x)) = \(v)")
    }
}

@Test("transcendentals stay within 2e-6 over a dense sweep")
func denseSweep() {
    let xs = stride(from: -20.0 as Float, through: 20, by: 0.0007).map { $0 }
    for (name, k, ref) in [("exp", { Kernels.exp($0, $1, count: $2) }, { Foundation.exp($0) }),
                           ("tanh", { Kernels.tanh($0, $1, count: $2) }, { Foundation.tanh($0) }),
                           ("sigmoid", { Kernels.sigmoid($0, $1, count: $2) }, sigmoidRef)]
            as [(String, (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void, (Double) -> Double)] {
        let y = apply(xs, k)
        let worst = zip(xs, y).map { Swift.abs(Double($1) - ref(Double($0))) / Swift.abs(ref(Double($0))) }.max() ?? 0
        #expect(worst <= 2e-6, "\(name) worst rel err \(worst)")
    }
    let pos = stride(from: -30.0, through: 30, by: 0.001).map { Float(Foundation.exp($0)) }
    let y = apply(pos) { Kernels.log($0, $1, count: $2) }
    let worst = zip(pos, y).map { Swift.abs(Double($1) - Foundation.log(Double($0))) / max(Swift.abs(Foundation.log(Double($0))), 1e-30) }.max() ?? 0
    #expect(worst <= 2e-6, "log worst rel err \(worst)")
}

@Test("binary and scalar kernels match scalar code")
func binaryKernels() {
    for n in lengths {
        let a = randomFloats(n, seed: 5), b = randomFloats(n, seed: 6).map { $0 == 0 ? 0.5 : $0 }
        func run(_ k: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) -> [Float] {
            var out = [Float](repeating: .nan, count: n)
            a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in out.withUnsafeMutableBufferPointer { op in
                if n > 0 { k(ap.baseAddress!, bp.baseAddress!, op.baseAddress!, n) }
            } } }
            return out
        }
        #expect(run { Kernels.add($0, $1, $2, count: $3) } == zip(a, b).map { $0 + $1 })
        #expect(run { Kernels.sub($0, $1, $2, count: $3) } == zip(a, b).map { $0 - $1 })
        #expect(run { Kernels.mul($0, $1, $2, count: $3) } == zip(a, b).map { $0 * $1 })
        #expect(run { Kernels.div($0, $1, $2, count: $3) } == zip(a, b).map { $0 / $1 })
        #expect(run { Kernels.maximum($0, $1, $2, count: $3) } == zip(a, b).map { Swift.max($0, $1) })
        #expect(run { a, _, o, n in Kernels.scale(a, by: 3, o, count: n) } == a.map { $0 * 3 })
        #expect(run { a, _, o, n in Kernels.relu(a, o, count: n) } == a.map { Swift.max($0, 0) })
        var y = b
        a.withUnsafeBufferPointer { ap in y.withUnsafeMutableBufferPointer { yp in
            if n > 0 { Kernels.axpy(0.5, ap.baseAddress!, yp.baseAddress!, count: n) }
        } }
        #expect(zip(y, zip(a, b).map { $1 + 0.5 * $0 }).allSatisfy { Swift.abs($0 - $1) <= 1e-6 })
    }
}

@Test("large elementwise and sum are bit-identical for 1 and 2 threads")
func threadIndependence() {
    let n = 1_000_003
    let x = randomFloats(n, seed: 9).map { $0 * 10 }
    let e1 = apply(x) { Kernels.exp($0, $1, count: $2, threads: 1) }
    let e2 = apply(x) { Kernels.exp($0, $1, count: $2, threads: 2) }
    #expect(e1.map(\.bitPattern) == e2.map(\.bitPattern))
    let s = x.withUnsafeBufferPointer { p in
        [1, 2].map { Kernels.sum(p.baseAddress!, count: n, threads: $0) }
    }
    #expect(s[0].bitPattern == s[1].bitPattern)
    let exact = x.reduce(0.0) { $0 + Double($1) }
    #expect(Swift.abs(Double(s[0]) - exact) <= 1e-5 * x.reduce(0.0) { $0 + Swift.abs(Double($1)) })
}

@Test("transcendental kernels split into small chunks give the same bits on 1 and 2 threads")
func transcendentalChunksThreadIndependent() {
    // 20 000 elements: below the plain elementwise chunk (serial before), above the
    // transcendental one, so two threads now share them; rows likewise.
    let n = 20_000
    let x = randomFloats(n, seed: 21).map { $0 * 6 }
    for k in [Kernels.gelu, Kernels.geluGrad, Kernels.tanh, Kernels.sigmoid] {
        let one = apply(x) { k($0, $1, $2, 1) }, two = apply(x) { k($0, $1, $2, 2) }
        #expect(one.map(\.bitPattern) == two.map(\.bitPattern))
    }
    let rows = 250, cols = 80
    let byThreads = [1, 2].map { t in
        apply(x) { a, o, _ in Kernels.softmaxRows(a, o, rows: rows, cols: cols, threads: t) }
    }
    #expect(byThreads[0].map(\.bitPattern) == byThreads[1].map(\.bitPattern))
    for r in [0, rows - 1] {
        #expect(Swift.abs(byThreads[1][(r * cols)..<((r + 1) * cols)].reduce(0, +) - 1) < 1e-5)
    }
}

@Test("sum over short lengths")
func shortSums() {
    for n in lengths + [64, 65, 16385, 40000] {
        let x = randomFloats(n, seed: UInt64(n + 1))
        let got = x.withUnsafeBufferPointer { p in p.baseAddress.map { Kernels.sum($0, count: n) } ?? 0 }
        let want = x.reduce(0.0) { $0 + Double($1) }
        #expect(Swift.abs(Double(got) - want) <= 1e-5 * Double(max(n, 1)), "n=\(n)")
    }
}

@Test("row kernels match Double references", arguments: [(1, 1), (3, 17), (2, 1000), (5, 16), (0, 4), (4, 33)])
func rowKernels(_ shape: (Int, Int)) {
    let (rows, cols) = shape
    var x = randomFloats(rows * cols, seed: 21).map { $0 * 8 }
    if rows * cols > 2 { x[1] = -.infinity }
    func refRow(_ r: Int) -> (lse: Double, mean: Double, rstd: Double) {
        let row = x[(r * cols)..<((r + 1) * cols)].map(Double.init)
        let m = row.max()!
        let lse = m + Foundation.log(row.map { Foundation.exp($0 - m) }.reduce(0, +))
        let finite = row.filter(\.isFinite)
        _ = finite
        let mean = row.reduce(0, +) / Double(cols)
        let v = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(cols)
        return (lse, mean, 1 / (v + 1e-5).squareRoot())
    }
    var sm = [Float](repeating: 0, count: rows * cols), ls = sm, lse = [Float](repeating: 0, count: rows)
    x.withUnsafeBufferPointer { xp in
        guard let xb = xp.baseAddress else { return }
        sm.withUnsafeMutableBufferPointer { Kernels.softmaxRows(xb, $0.baseAddress!, rows: rows, cols: cols) }
        ls.withUnsafeMutableBufferPointer { Kernels.logSoftmaxRows(xb, $0.baseAddress!, rows: rows, cols: cols) }
        lse.withUnsafeMutableBufferPointer { Kernels.logsumexpRows(xb, $0.baseAddress!, rows: rows, cols: cols) }
    }
    for r in 0..<rows {
        let ref = refRow(r)
        #expect(close(lse[r], ref.lse, rel: 2e-6, abs: 1e-6))
        for c in 0..<cols {
            let xv = Double(x[r * cols + c])
            #expect(close(sm[r * cols + c], Foundation.exp(xv - ref.lse), rel: 1e-5, abs: 1e-7))
            #expect(close(ls[r * cols + c], xv - ref.lse, rel: 1e-5, abs: 2e-6))
        }
    }
    // layer norm on finite data
    let y = randomFloats(rows * cols, seed: 22).map { $0 * 3 + 1 }
    var out = [Float](repeating: 0, count: rows * cols)
    var mean = [Float](repeating: 0, count: rows), rstd = mean
    y.withUnsafeBufferPointer { yp in
        guard let yb = yp.baseAddress else { return }
        out.withUnsafeMutableBufferPointer { op in mean.withUnsafeMutableBufferPointer { mp in
            rstd.withUnsafeMutableBufferPointer { rp in
                Kernels.layerNormRows(yb, op.baseAddress!, rows: rows, cols: cols, eps: 1e-5,
                                      mean: mp.baseAddress!, rstd: rp.baseAddress!)
            } } }
    }
    x = y
    for r in 0..<rows {
        let ref = refRow(r)
        #expect(close(mean[r], ref.mean, rel: 1e-5, abs: 1e-6))
        #expect(close(rstd[r], ref.rstd, rel: 1e-4))
        for c in 0..<cols {
            #expect(close(out[r * cols + c], (Double(y[r * cols + c]) - ref.mean) * ref.rstd, rel: 1e-4, abs: 1e-4))
        }
    }
}

@Test("row and column sums")
func rowColumnSums() {
    let (rows, cols) = (7, 37)
    let x = randomFloats(rows * cols, seed: 31)
    var rs = [Float](repeating: 0, count: rows), cs = [Float](repeating: 0, count: cols)
    x.withUnsafeBufferPointer { xp in
        rs.withUnsafeMutableBufferPointer { Kernels.sumRows(xp.baseAddress!, $0.baseAddress!, rows: rows, cols: cols) }
        cs.withUnsafeMutableBufferPointer { Kernels.sumColumns(xp.baseAddress!, $0.baseAddress!, rows: rows, cols: cols) }
    }
    for r in 0..<rows {
        #expect(Swift.abs(rs[r] - x[(r * cols)..<((r + 1) * cols)].reduce(0, +)) < 1e-4)
    }
    for c in 0..<cols {
        #expect(Swift.abs(cs[c] - (0..<rows).map { x[$0 * cols + c] }.reduce(0, +)) < 1e-5)
    }
}

@Test("large column sums add rows in order whatever the thread count")
func largeColumnSums() {
    let (rows, cols) = (1024, 200)  // above the parallel threshold; 4 column blocks, the last partial
    let x = randomFloats(rows * cols, seed: 32)
    var one = [Float](repeating: .nan, count: cols), two = one
    x.withUnsafeBufferPointer { xp in
        one.withUnsafeMutableBufferPointer { Kernels.sumColumns(xp.baseAddress!, $0.baseAddress!, rows: rows, cols: cols, threads: 1) }
        two.withUnsafeMutableBufferPointer { Kernels.sumColumns(xp.baseAddress!, $0.baseAddress!, rows: rows, cols: cols, threads: 2) }
    }
    for c in 0..<cols {
        var inOrder: Float = 0
        for r in 0..<rows { inOrder += x[r * cols + c] }
        #expect(one[c] == inOrder && two[c] == inOrder)
    }
}

@Test("parallelFor runs every chunk exactly once")
func parallelForCoversChunks() {
    for t in [1, 2, 3] {
        let hits = UnsafeMutablePointer<Int>.allocate(capacity: 37)
        hits.initialize(repeating: 0, count: 37)
        nonisolated(unsafe) let h = hits
        Kernels.parallelFor(chunks: 37, threads: t) { h[$0] += 1 }
        #expect((0..<37).allSatisfy { hits[$0] == 1 })
        hits.deallocate()
    }
}

/// Many back-to-back jobs of alternating sizes. A worker whose claim came from a
/// finished job once judged it against the next, larger job's chunk count and ran a
/// chunk twice (seen as a `withoutActuallyEscaping` trap in `taalm-bench`): every chunk
/// of every job must run exactly once, and all before `parallelFor` returns. (Odd counts
/// too: with one worker the caller's half and the worker's half have separate counters.)
@Test("parallelFor runs each chunk once across many back-to-back jobs")
func parallelForBackToBack() {
    let hits = UnsafeMutablePointer<Int>.allocate(capacity: 16)
    defer { hits.deallocate() }
    var exact = 0
    let jobs = 50_000
    let sizes = [2, 9, 3, 16, 5]
    for job in 0..<jobs {
        let chunks = sizes[job % sizes.count]
        hits.initialize(repeating: 0, count: 16)
        let tag = [job]  // a heap value, so each closure has its own context
        nonisolated(unsafe) let h = hits
        Kernels.parallelFor(chunks: chunks, threads: 2) { h[$0] += tag[0] >= 0 ? 1 : 0 }
        if (0..<chunks).allSatisfy({ hits[$0] == 1 }) { exact += 1 }
    }
    #expect(exact == jobs)
}
