// SIMD16 transcendental functions (Cephes-style range reduction + minimax polynomials).
// Accuracy (checked in KernelTests against Double references): max relative error
// ≤ 2e-6 on normal results; special values follow the C library (exp(-inf) = 0,
// exp(+inf) = inf, log(0) = -inf, log(x<0) = nan, nan → nan, tanh(±inf) = ±1).

typealias F16 = SIMD16<Float>

extension Kernels {
    /// Lane-wise e^x. Results below the smallest subnormal round to 0; x > ~88.72 → inf.
    // @_transparent: mandatory inlining. With only @inline(__always) the optimiser left
    // exp16 out of line at some call sites, where its SIMD16 argument is split into four
    // 128-bit registers and the whole function runs on xmm halves (~15% of a train step).
    @_transparent
    static func exp16(_ x: F16) -> F16 {
        var xc = x.replacing(with: -104, where: x .< -104)
        xc = xc.replacing(with: 89, where: xc .> 89)
        // n = round(x·log2 e) via the 1.5·2^23 trick, which also leaves n in the low
        // mantissa bits (Swift's generic SIMD float↔int conversions do not vectorise).
        let magic = F16(repeating: 12582912)
        let t = xc.addingProduct(xc, F16(repeating: 0.442695040888963)) + magic
        let n = t - magic
        let ni = unsafeBitCast(t, to: SIMD16<Int32>.self) &- 0x4B40_0000
        // Cody-Waite: r = x - n·ln2 with ln2 split into an exact high part and a low part.
        let r = xc.addingProduct(n, F16(repeating: -0.693359375))
            .addingProduct(n, F16(repeating: 2.12194440e-4))
        let r2 = r * r
        var p = F16(repeating: 1.3981999507e-3).addingProduct(F16(repeating: 1.9875691500e-4), r)
        p = F16(repeating: 8.3334519073e-3).addingProduct(p, r)
        p = F16(repeating: 4.1665795894e-2).addingProduct(p, r)
        p = F16(repeating: 1.6666665459e-1).addingProduct(p, r)
        p = F16(repeating: 5.0000001201e-1).addingProduct(p, r)
        p = (r + 1).addingProduct(p, r2)
        // 2^n split in two factors so results down to the subnormal range stay exact.
        let n1 = ni &>> 1, n2 = ni &- n1
        let s1 = unsafeBitCast((n1 &+ 127) &<< 23, to: F16.self)
        let s2 = unsafeBitCast((n2 &+ 127) &<< 23, to: F16.self)
        let y = p * s1 * s2
        return y.replacing(with: x, where: x .!= x)
    }

    /// Lane-wise natural logarithm. log(0) = -inf, log(x < 0) = nan, log(inf) = inf.
    @inline(__always)
    static func log16(_ x: F16) -> F16 {
        // Subnormal inputs: scale by 2^23 and correct the exponent.
        let tiny = x .< Float.leastNormalMagnitude
        let xs = x.replacing(with: x * 8388608.0, where: tiny)
        let bits = unsafeBitCast(xs, to: SIMD16<UInt32>.self)
        // Biased exponent (0...255) to float via the 2^23 trick, then unbias (-126).
        let expBits = ((bits &>> 23) & 0xFF) | 0x4B00_0000
        var e = unsafeBitCast(expBits, to: F16.self) - (8388608 + 126)
        e = e.replacing(with: e - 23, where: tiny)
        var m = unsafeBitCast((bits & 0x007F_FFFF) | 0x3F00_0000, to: F16.self)  // [0.5, 1)
        let small = m .< 0.707106781186547524
        e = e.replacing(with: e - 1, where: small)
        m = m.replacing(with: m + m - 1, where: small)
        m = m.replacing(with: m - 1, where: .!small)
        let z = m * m
        var p = F16(repeating: -1.1514610310e-1).addingProduct(F16(repeating: 7.0376836292e-2), m)
        p = F16(repeating: 1.1676998740e-1).addingProduct(p, m)
        p = F16(repeating: -1.2420140846e-1).addingProduct(p, m)
        p = F16(repeating: 1.4249322787e-1).addingProduct(p, m)
        p = F16(repeating: -1.6668057665e-1).addingProduct(p, m)
        p = F16(repeating: 2.0000714765e-1).addingProduct(p, m)
        p = F16(repeating: -2.4999993993e-1).addingProduct(p, m)
        p = F16(repeating: 3.3333331174e-1).addingProduct(p, m)
        var y = m * z * p
        y = y.addingProduct(e, F16(repeating: -2.12194440e-4))
        y = y.addingProduct(z, F16(repeating: -0.5))
        var r = (m + y).addingProduct(e, F16(repeating: 0.693359375))
        r = r.replacing(with: -.infinity, where: x .== 0)
        r = r.replacing(with: .nan, where: x .< 0)
        r = r.replacing(with: x, where: (x .== .infinity) .| (x .!= x))
        return r
    }

    /// Lane-wise hyperbolic tangent.
    @_transparent
    static func tanh16(_ x: F16) -> F16 {
        let ax = x.replacing(with: -x, where: x .< 0)
        // |x| < 0.625: odd polynomial; else 1 - 2/(e^{2|x|} + 1) with the sign restored.
        let z = x * x
        var p = F16(repeating: 2.06390887954e-2).addingProduct(F16(repeating: -5.70498872745e-3), z)
        p = F16(repeating: -5.37397155531e-2).addingProduct(p, z)
        p = F16(repeating: 1.33314422036e-1).addingProduct(p, z)
        p = F16(repeating: -3.33332819422e-1).addingProduct(p, z)
        let small = x.addingProduct(p * z, x)
        let e = exp16(ax + ax)
        var big = 1 - 2 / (e + 1)
        big = big.replacing(with: -big, where: x .< 0)
        return small.replacing(with: big, where: ax .>= 0.625)
    }

    /// Lane-wise logistic sigmoid 1/(1+e^{-x}), accurate in both tails.
    @_transparent
    static func sigmoid16(_ x: F16) -> F16 {
        let ax = x.replacing(with: -x, where: x .< 0)
        let e = exp16(-ax)
        let s = 1 / (1 + e)
        return s.replacing(with: e * s, where: x .< 0)
    }

    /// Lane-wise GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))),
    /// evaluated as x·sigmoid(2u) (the same function, without cancellation for x < 0).
    @_transparent
    static func gelu16(_ x: F16) -> F16 {
        let u = x * F16(repeating: 1).addingProduct(x * x, F16(repeating: 0.044715)) * 0.7978845608028654
        let y = x * sigmoid16(u + u)
        return y.replacing(with: 0, where: x .== -.infinity)
    }

    /// Lane-wise derivative of `gelu16`: with s = sigmoid(2u), u = c(x + 0.044715x³),
    /// gelu'(x) = s + 2x·s(1 - s)·u', u' = c(1 + 3·0.044715x²) (the tanh form's
    /// 0.5(1 + tanh u) + 0.5x(1 - tanh²u)u', without cancellation). ±inf → 1 / 0.
    @_transparent
    static func geluGrad16(_ x: F16) -> F16 {
        let c: Float = 0.7978845608028654
        let x2 = x * x
        let u = x * F16(repeating: 1).addingProduct(x2, F16(repeating: 0.044715)) * c
        let du = F16(repeating: 1).addingProduct(x2, F16(repeating: 3 * 0.044715)) * c
        let s = sigmoid16(u + u)
        let d = s.addingProduct(x * s * (1 - s), du + du)
        // Far tails: s(1 - s)·x·x² underflows to 0·inf = nan; the limits are 0 and 1.
        return d.replacing(with: 0, where: x .< -20).replacing(with: 1, where: x .> 20)
    }
}
