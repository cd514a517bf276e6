// Packing of GEMM operands into contiguous, zero-padded micro-panels.
//
// A block (mc×kc of op(A)) is packed as ceil(mc/MR) panels; panel q holds, for each
// p in 0..<kc, the MR values op(A)[q*MR + i, p] (i = 0..<MR) contiguously.
// A B block (kc×nc of op(B)) is packed as ceil(nc/NR) panels; panel q holds, for each
// p, the NR values op(B)[p, q*NR + j] contiguously. Rows/columns past the edge are 0,
// so the microkernel always runs on full panels.

@inline(__always) private func ld16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}
@inline(__always) private func st16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}

/// Packs op(A)[0..<mc, 0..<kc] where `a` points at op(A)[0, 0], in the layout that is
/// a plain copy of the source (no transposition), panel q at dst + q*MR*kc:
/// - `trans == false` (element (i, p) at a[i*lda + p]): row-major panels, element (i, p)
///   of a panel at [i*kc + p] → microkernel strides rs = kc, cs = 1.
/// - `trans == true` (element (i, p) at a[p*lda + i]): p-major panels, element (i, p)
///   at [p*MR + i] → rs = 1, cs = MR.
/// Rows past `mc` in the last panel are left unset; the microkernel for a partial
/// panel never reads them.
@inline(__always)
func gemmPackA(trans: Bool, mc: Int, kc: Int, a: UnsafePointer<Float>, lda: Int,
               into dst: UnsafeMutablePointer<Float>) {
    let mr = gemmMR
    if !trans {
        for i in 0..<mc {
            (dst + (i / mr) * mr * kc + (i % mr) * kc).update(from: a + i * lda, count: kc)
        }
        return
    }
    var d = dst
    var i0 = 0
    while i0 < mc {
        let rows = min(mr, mc - i0)
        var src = a + i0
        if rows == mr && mr == 12 {
            for _ in 0..<kc {
                // 12 contiguous floats: one 8-wide and one 4-wide vector (a memmove
                // call per 12 floats cost more than the copy).
                UnsafeMutableRawPointer(d).storeBytes(of: UnsafeRawPointer(src).loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(d + 8).storeBytes(of: UnsafeRawPointer(src + 8).loadUnaligned(as: SIMD4<Float>.self), as: SIMD4<Float>.self)
                d += mr; src += lda
            }
        } else {
            for _ in 0..<kc {
                d.update(from: src, count: rows)
                d += mr; src += lda
            }
        }
        i0 += mr
    }
}

/// Packs op(B)[0..<kc, 0..<nc] where `b` points at op(B)[0, 0].
/// `trans == false`: element (p, j) at b[p*ldb + j]; `true`: at b[j*ldb + p].
@inline(__always)
func gemmPackB(trans: Bool, kc: Int, nc: Int, b: UnsafePointer<Float>, ldb: Int,
               into dst: UnsafeMutablePointer<Float>) {
    let nr = gemmNR
    var d = dst
    var j0 = 0
    while j0 < nc {
        let cols = min(nr, nc - j0)
        if !trans {
            if cols == nr {
                for p in 0..<kc {
                    let src = b + p * ldb + j0
                    st16(ld16(src), d + p * nr)
                    st16(ld16(src + 16), d + p * nr + 16)
                }
            } else {
                for p in 0..<kc {
                    let src = b + p * ldb + j0
                    for j in 0..<cols { d[p * nr + j] = src[j] }
                    for j in cols..<nr { d[p * nr + j] = 0 }
                }
            }
        } else {
            for j in 0..<cols {
                let src = b + (j0 + j) * ldb
                for p in 0..<kc { d[p * nr + j] = src[p] }
            }
            if cols < nr {
                for p in 0..<kc { for j in cols..<nr { d[p * nr + j] = 0 } }
            }
        }
        d += nr * kc
        j0 += nr
    }
}

// Whole-operand packing shared by the threads of one parallel product. The layouts are
// the per-block layouts of `gemmPackA` / `gemmPackB`, blocks laid end to end, so a
// thread reads exactly the panels it would have packed itself (bit-identical results).
extension Kernels {
    /// Floats of a whole packed op(B) (k×n): per NC column block, its columns rounded
    /// up to whole NR panels, times k.
    static func gemmPackedBSize(n: Int, k: Int) -> Int {
        (n + gemmNR - 1) / gemmNR * gemmNR * k
    }

    /// Where block (jc, pc) of a whole packed op(B) starts: the NC blocks before jc are
    /// full (NC is a multiple of NR), then the depth blocks before pc of this one.
    @inline(__always)
    static func gemmPackedBOffset(jc: Int, pc: Int, n: Int, k: Int) -> Int {
        let nc = min(gemmNC, n - jc)
        return jc * k + pc * ((nc + gemmNR - 1) / gemmNR * gemmNR)
    }

    /// Floats of a whole packed op(A) (m×k): m rounded up to whole MR panels, times k.
    static func gemmPackedASize(m: Int, k: Int) -> Int {
        (m + gemmMR - 1) / gemmMR * gemmMR * k
    }

    /// Where block (ic, pc) of a whole packed op(A) starts: the depth blocks before pc
    /// are full (KC deep) over all rows, then the MC blocks before ic at this depth.
    @inline(__always)
    static func gemmPackedAOffset(ic: Int, pc: Int, m: Int, k: Int) -> Int {
        let mPad = (m + gemmMR - 1) / gemmMR * gemmMR
        return pc * mPad + ic * min(gemmKC, k - pc)
    }

    /// Packs all of op(B) (k×n; `b` at op(B)[0, 0]) into `dst`, one block per chunk.
    static func gemmPackSharedB(transB: Bool, n: Int, k: Int, b: UnsafePointer<Float>, ldb: Int,
                                into dst: UnsafeMutablePointer<Float>, threads: Int) {
        let colBlocks = (n + gemmNC - 1) / gemmNC, depthBlocks = (k + gemmKC - 1) / gemmKC
        nonisolated(unsafe) let (bp, dp) = (b, dst)
        parallelFor(chunks: colBlocks * depthBlocks, threads: threads) { i in
            let jc = (i / depthBlocks) * gemmNC, pc = (i % depthBlocks) * gemmKC
            gemmPackB(trans: transB, kc: min(gemmKC, k - pc), nc: min(gemmNC, n - jc),
                      b: bp + (transB ? jc * ldb + pc : pc * ldb + jc), ldb: ldb,
                      into: dp + gemmPackedBOffset(jc: jc, pc: pc, n: n, k: k))
        }
    }

    /// Packs all of op(A) (m×k; `a` at op(A)[0, 0]) into `dst`, one block per chunk.
    static func gemmPackSharedA(transA: Bool, m: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                                into dst: UnsafeMutablePointer<Float>, threads: Int) {
        let rowBlocks = (m + gemmMC - 1) / gemmMC, depthBlocks = (k + gemmKC - 1) / gemmKC
        nonisolated(unsafe) let (ap, dp) = (a, dst)
        parallelFor(chunks: rowBlocks * depthBlocks, threads: threads) { i in
            let ic = (i / depthBlocks) * gemmMC, pc = (i % depthBlocks) * gemmKC
            gemmPackA(trans: transA, mc: min(gemmMC, m - ic), kc: min(gemmKC, k - pc),
                      a: ap + (transA ? pc * lda + ic : ic * lda + pc), lda: lda,
                      into: dp + gemmPackedAOffset(ic: ic, pc: pc, m: m, k: k))
        }
    }
}
