import Foundation

// Reductions and row-wise (last-axis) kernels. All are deterministic: the order of the
// floating-point operations for each output is fixed and independent of the thread
// count (threads only split whole rows, or whole fixed-size chunks of a sum).

extension Kernels {
    /// Fixed chunk length of `sum`: partial sums are formed per chunk, then combined in
    /// chunk order, so the result is identical for every thread count.
    public static let sumChunk = 1 << 14

    /// Sum of `count` contiguous floats with 4×16-lane accumulators (serial).
    @inline(__always)
    static func sumSerial(_ a: UnsafePointer<Float>, _ count: Int) -> Float {
        var s0 = F16(), s1 = F16(), s2 = F16(), s3 = F16()
        var i = 0
        while i + 64 <= count {
            s0 += load16(a + i); s1 += load16(a + i + 16)
            s2 += load16(a + i + 32); s3 += load16(a + i + 48)
            i += 64
        }
        while i + 16 <= count { s0 += load16(a + i); i += 16 }
        if i < count { s1 += loadPartial(a + i, count - i) }
        return ((s0 + s1) + (s2 + s3)).sum()
    }

    /// Σ a[i] over `count ≥ 0` floats. Bit-identical for every thread count (fixed
    /// `sumChunk` chunking, chunk partials combined in order in Double).
    public static func sum(_ a: UnsafePointer<Float>, count: Int, threads: Int? = nil) -> Float {
        if count <= 0 { return 0 }
        let chunks = (count + sumChunk - 1) / sumChunk
        if chunks == 1 { return sumSerial(a, count) }
        let partial = UnsafeMutablePointer<Float>.allocate(capacity: chunks)
        defer { partial.deallocate() }
        nonisolated(unsafe) let (ap, pp) = (a, partial)
        let t = count >= elementwiseChunk ? threads : 1
        parallelFor(chunks: chunks, threads: t) { c in
            let s = c * sumChunk
            pp[c] = sumSerial(ap + s, min(sumChunk, count - s))
        }
        var total = 0.0
        for c in 0..<chunks { total += Double(partial[c]) }
        return Float(total)
    }

    /// Runs `body(row)` for every row, splitting rows over threads when the matrix is
    /// large (each row is always processed whole by one thread).
    @inline(__always)
    static func forRows(rows: Int, cols: Int, threads: Int?, chunk: Int = elementwiseChunk, _ body: (Int) -> Void) {
        if rows <= 0 { return }
        let total = rows * max(cols, 1)
        if total < chunk || rows == 1 || resolvedThreads(threads) == 1 {
            for r in 0..<rows { body(r) }
            return
        }
        let perChunk = max(1, chunk / max(cols, 1))
        let chunks = (rows + perChunk - 1) / perChunk
        parallelFor(chunks: chunks, threads: threads) { c in
            for r in (c * perChunk)..<min(rows, (c + 1) * perChunk) { body(r) }
        }
    }

    /// out[r] = Σ_c x[r, c] for a row-major rows×cols matrix (reduce the last axis).
    public static func sumRows(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                               rows: Int, cols: Int, threads: Int? = nil) {
        nonisolated(unsafe) let (x, out) = (x, out)
        forRows(rows: rows, cols: cols, threads: threads) { r in
            out[r] = sumSerial(x + r * cols, cols)
        }
    }

    /// out[c] = Σ_r x[r, c] for a row-major rows×cols matrix (reduce the first axis,
    /// e.g. a bias gradient). Rows are added in order, columns vectorised; large
    /// matrices split their columns into blocks over threads, so every column sees the
    /// same additions whatever the thread count.
    public static func sumColumns(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                                  rows: Int, cols: Int, threads: Int? = nil) {
        nonisolated(unsafe) let (x, out) = (x, out)
        forColumnBlocks(rows: rows, cols: cols, threads: threads) { c0, c1 in
            if c1 - c0 == columnBlock {
                // A whole block's four vectors of sums stay in registers over the rows (the
                // same additions in the same order as the loop below, which reloads and
                // stores its sums every row: `small`'s bias and norm gradients 1.8 → 1.3 ms
                // per step).
                var s0 = F16(), s1 = F16(), s2 = F16(), s3 = F16()
                for r in 0..<Swift.max(rows, 0) {
                    let row = x + r * cols + c0
                    s0 += load16(row); s1 += load16(row + 16); s2 += load16(row + 32); s3 += load16(row + 48)
                }
                store16(s0, out + c0); store16(s1, out + c0 + 16); store16(s2, out + c0 + 32); store16(s3, out + c0 + 48)
                return
            }
            (out + c0).update(repeating: 0, count: c1 - c0)
            for r in 0..<Swift.max(rows, 0) {
                let row = x + r * cols
                var c = c0
                while c + 16 <= c1 { store16(load16(out + c) + load16(row + c), out + c); c += 16 }
                while c < c1 { out[c] += row[c]; c += 1 }
            }
        }
    }

    /// Columns per block of a column reduction (four SIMD16 vectors).
    static let columnBlock = 64

    /// Runs `body(c0, c1)` for each block [c0, c1) of `columnBlock` columns (the last may
    /// be narrower): blocks across threads when the rows×cols matrix is large, else in
    /// order. Each block is one thread's, so a reduction that adds its rows in order
    /// gives the same result whatever the thread count.
    @inline(__always)
    static func forColumnBlocks(rows: Int, cols: Int, threads: Int?, _ body: (_ c0: Int, _ c1: Int) -> Void) {
        if cols <= 0 { return }
        let blocks = (cols + columnBlock - 1) / columnBlock
        if rows * cols < elementwiseChunk || blocks == 1 {
            for b in 0..<blocks { body(b * columnBlock, Swift.min(cols, (b + 1) * columnBlock)) }
        } else {
            parallelFor(chunks: blocks, threads: threads) { b in body(b * columnBlock, Swift.min(cols, (b + 1) * columnBlock)) }
        }
    }

    /// Row maximum (NaNs ignored; -inf for an empty or all-NaN row).
    @inline(__always)
    static func rowMax(_ x: UnsafePointer<Float>, _ cols: Int) -> Float {
        var m = F16(repeating: -.infinity)
        var i = 0
        while i + 16 <= cols { let v = load16(x + i); m = m.replacing(with: v, where: v .> m); i += 16 }
        var best = m.max()
        while i < cols { if x[i] > best { best = x[i] }; i += 1 }
        return best
    }

    /// Writes e^{x - m} to `out` (may be nil) and returns Σ e^{x - m} over the row.
    @inline(__always)
    static func rowExpSum(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>?,
                          _ cols: Int, _ m: Float) -> Float {
        var s = F16()
        let mv = F16(repeating: m)
        var i = 0
        while i + 16 <= cols {
            let e = exp16(load16(x + i) - mv)
            if let out { store16(e, out + i) }
            s += e
            i += 16
        }
        if i < cols {
            let n = cols - i
            var e = exp16(loadPartial(x + i, n) - mv)
            for l in n..<16 { e[l] = 0 }
            if let out { storePartial(e, out + i, n) }
            s += e
        }
        return s.sum()
    }

    /// Row-wise softmax over the last axis of a rows×cols matrix: out[r, :] =
    /// e^{x - max} / Σ e^{x - max}. `out` may equal `x`. A row containing NaN (or only
    /// -inf) gives NaN.
    public static func softmaxRows(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                                   rows: Int, cols: Int, threads: Int? = nil) {
        nonisolated(unsafe) let (x, out) = (x, out)
        forRows(rows: rows, cols: cols, threads: threads, chunk: transcendentalChunk) { r in
            let xr = x + r * cols, orow = out + r * cols
            let m = rowMax(xr, cols)
            let inv = 1 / rowExpSum(xr, orow, cols, m)
            var i = 0
            while i + 16 <= cols { store16(load16(orow + i) * inv, orow + i); i += 16 }
            while i < cols { orow[i] *= inv; i += 1 }
        }
    }

    /// Row-wise log-sum-exp: out[r] = log Σ_c e^{x[r, c]} (stable: max subtracted).
    /// An empty or all -inf row gives -inf; +inf anywhere gives +inf.
    public static func logsumexpRows(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                                     rows: Int, cols: Int, threads: Int? = nil) {
        nonisolated(unsafe) let (x, out) = (x, out)
        forRows(rows: rows, cols: cols, threads: threads, chunk: transcendentalChunk) { r in
            out[r] = rowLogSumExp(x + r * cols, cols)
        }
    }

    @inline(__always)
    static func rowLogSumExp(_ xr: UnsafePointer<Float>, _ cols: Int) -> Float {
        let m = rowMax(xr, cols)
        if m == -.infinity || m == .infinity { return m }
        return m + Foundation.log(rowExpSum(xr, nil, cols, m))
    }

    /// Row-wise log-softmax: out[r, c] = x[r, c] - logsumexp(x[r, :]). `out` may equal `x`.
    public static func logSoftmaxRows(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                                      rows: Int, cols: Int, threads: Int? = nil) {
        nonisolated(unsafe) let (x, out) = (x, out)
        forRows(rows: rows, cols: cols, threads: threads, chunk: transcendentalChunk) { r in
            let xr = x + r * cols, orow = out + r * cols
            let lse = F16(repeating: rowLogSumExp(xr, cols))
            var i = 0
            while i + 16 <= cols { store16(load16(xr + i) - lse, orow + i); i += 16 }
            while i < cols { orow[i] = xr[i] - lse[0]; i += 1 }
        }
    }

    /// The mean of a row and 1/√(variance + eps), the (biased) variance computed two-pass
    /// around the mean in a fixed order: the statistics every layer-norm kernel shares.
    @inline(__always)
    static func rowMeanRstd(_ xr: UnsafePointer<Float>, cols: Int, eps: Float) -> (mean: Float, rstd: Float) {
        let mu = sumSerial(xr, cols) / Float(cols)
        let mv = F16(repeating: mu)
        var acc = F16()
        var i = 0
        while i + 16 <= cols { let d = load16(xr + i) - mv; acc = acc.addingProduct(d, d); i += 16 }
        var tail: Float = 0
        while i < cols { let d = xr[i] - mu; tail += d * d; i += 1 }
        return (mu, 1 / ((acc.sum() + tail) / Float(cols) + eps).squareRoot())
    }

    /// Row-wise layer normalisation without affine parameters:
    /// out[r, :] = (x[r, :] - mean_r) · rstd_r with rstd_r = 1/√(var_r + eps), the
    /// (biased) variance computed two-pass around the mean. Writes `mean[r]` and
    /// `rstd[r]` (each `rows` long) for the backward pass. `out` may equal `x`.
    public static func layerNormRows(_ x: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                                     rows: Int, cols: Int, eps: Float,
                                     mean: UnsafeMutablePointer<Float>,
                                     rstd: UnsafeMutablePointer<Float>, threads: Int? = nil) {
        if cols <= 0 { return }
        nonisolated(unsafe) let (x, out, mean, rstd) = (x, out, mean, rstd)
        forRows(rows: rows, cols: cols, threads: threads) { r in
            let xr = x + r * cols, orow = out + r * cols
            let (mu, rs) = rowMeanRstd(xr, cols: cols, eps: eps)
            mean[r] = mu; rstd[r] = rs
            let mv = F16(repeating: mu), rv = F16(repeating: rs)
            var i = 0
            while i + 16 <= cols { store16((load16(xr + i) - mv) * rv, orow + i); i += 16 }
            while i < cols { orow[i] = (xr[i] - mu) * rs; i += 1 }
        }
    }
}
