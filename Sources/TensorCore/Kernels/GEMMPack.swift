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
