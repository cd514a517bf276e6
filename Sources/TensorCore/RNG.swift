import Foundation

/// The one random-number generator of taalm: xoshiro256** seeded through SplitMix64.
///
/// Every random choice (initialisation, dropout, shuffling, generated worlds) takes one of
/// these explicitly, so the same seed gives the same numbers on every run and machine.
public struct TaalmRNG: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var sm = seed
        func splitmix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix(); s1 = splitmix(); s2 = splitmix(); s3 = splitmix()
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// A uniform Double in [0, 1) with 53 random bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A standard normal sample (Box–Muller, computed in Double).
    public mutating func nextNormal() -> Double {
        var u1 = nextUnit()
        while u1 <= 0 { u1 = nextUnit() }
        let u2 = nextUnit()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }

    /// A uniform integer in 0..<n (n > 0), without modulo bias.
    public mutating func nextInt(below n: Int) -> Int {
        guard n > 1 else { return 0 }
        return Int(next(upperBound: UInt64(n)))
    }

    /// A new generator derived from this one (for an independent stream).
    public mutating func split() -> TaalmRNG { TaalmRNG(seed: next()) }
}
