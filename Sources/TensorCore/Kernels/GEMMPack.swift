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
            // Whole 16×16 blocks are transposed in registers; the rest element by element.
            // (The element loop alone compiles to scatter instructions: with the register
            // transpose, training and meta-steps run 1–3 % faster, alternating in-process.)
            var p0 = 0
            if cols == nr && nr == 32 {
                while p0 + 16 <= kc {
                    transpose16(b + j0 * ldb + p0, ldb, into: d + p0 * nr, nr)
                    transpose16(b + (j0 + 16) * ldb + p0, ldb, into: d + p0 * nr + 16, nr)
                    p0 += 16
                }
            }
            for j in 0..<cols {
                let src = b + (j0 + j) * ldb
                for p in p0..<kc { d[p * nr + j] = src[p] }
            }
            if cols < nr {
                for p in 0..<kc { for j in cols..<nr { d[p * nr + j] = 0 } }
            }
        }
        d += nr * kc
        j0 += nr
    }
}

/// Writes the transpose of the 16×16 block at `src` (rows `lds` apart) to `dst` (rows
/// `ldd` apart): dst[p·ldd + j] = src[j·lds + p]. Four rounds of the perfect shuffle
/// (row i ← the even lanes of rows 2i and 2i+1, row i+8 ← their odd lanes) each rotate
/// an element's 8-bit index (row, column) right by one bit; four rotations swap row and
/// column.
@inline(__always)
func transpose16(_ src: UnsafePointer<Float>, _ lds: Int, into dst: UnsafeMutablePointer<Float>, _ ldd: Int) {
    var r = (ld16(src), ld16(src + lds), ld16(src + 2 * lds), ld16(src + 3 * lds),
             ld16(src + 4 * lds), ld16(src + 5 * lds), ld16(src + 6 * lds), ld16(src + 7 * lds),
             ld16(src + 8 * lds), ld16(src + 9 * lds), ld16(src + 10 * lds), ld16(src + 11 * lds),
             ld16(src + 12 * lds), ld16(src + 13 * lds), ld16(src + 14 * lds), ld16(src + 15 * lds))
    @inline(__always) func even(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        SIMD16(lowHalf: a.evenHalf, highHalf: b.evenHalf)
    }
    @inline(__always) func odd(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        SIMD16(lowHalf: a.oddHalf, highHalf: b.oddHalf)
    }
    for _ in 0..<4 {
        r = (even(r.0, r.1), even(r.2, r.3), even(r.4, r.5), even(r.6, r.7),
             even(r.8, r.9), even(r.10, r.11), even(r.12, r.13), even(r.14, r.15),
             odd(r.0, r.1), odd(r.2, r.3), odd(r.4, r.5), odd(r.6, r.7),
             odd(r.8, r.9), odd(r.10, r.11), odd(r.12, r.13), odd(r.14, r.15))
    }
    st16(r.0, dst); st16(r.1, dst + ldd); st16(r.2, dst + 2 * ldd); st16(r.3, dst + 3 * ldd)
    st16(r.4, dst + 4 * ldd); st16(r.5, dst + 5 * ldd); st16(r.6, dst + 6 * ldd); st16(r.7, dst + 7 * ldd)
    st16(r.8, dst + 8 * ldd); st16(r.9, dst + 9 * ldd); st16(r.10, dst + 10 * ldd); st16(r.11, dst + 11 * ldd)
    st16(r.12, dst + 12 * ldd); st16(r.13, dst + 13 * ldd); st16(r.14, dst + 14 * ldd); st16(r.15, dst + 15 * ldd)
}
