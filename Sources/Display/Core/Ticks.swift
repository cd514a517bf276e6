/// "Nice" axis ticks: steps of 1, 2 or 5 times a power of ten (Heckbert, Graphics Gems 1990).
struct Ticks: Equatable {
    /// The axis range, widened to whole steps.
    var lower: Double
    var upper: Double
    var step: Double
    var values: [Double]

    /// Ticks covering `[lo, hi]` with about `target` intervals. Non-finite or reversed input
    /// is repaired: an empty range widens around its value (or to [0, 1] when nothing is known).
    init(lo: Double, hi: Double, target: Int = 5, widen: Bool = true) {
        var (a, b) = Ticks.repair(lo, hi)
        let target = max(1, target)
        let step = Ticks.niceNumber((b - a) / Double(target), round: true)
        if widen {
            a = (a / step).rounded(.down) * step
            b = (b / step).rounded(.up) * step
        }
        var values: [Double] = []
        var k = (a / step).rounded(.up)
        while k * step <= b + step * 1e-9, values.count < 200 {
            let v = k * step
            values.append(abs(v) < step * 1e-9 ? 0 : v)
            k += 1
        }
        self.lower = a
        self.upper = b
        self.step = step
        self.values = values
    }

    /// A finite, non-empty range from possibly degenerate bounds.
    static func repair(_ lo: Double, _ hi: Double) -> (Double, Double) {
        var a = lo, b = hi
        if !a.isFinite && !b.isFinite { return (0, 1) }
        if !a.isFinite { a = b }
        if !b.isFinite { b = a }
        if a > b { swap(&a, &b) }
        a = max(a, -1e300); b = min(b, 1e300)
        if b - a <= abs(a) * 1e-12 || b == a {
            let pad = a == 0 ? 1 : abs(a) * 0.1
            return (a - pad, b + pad)
        }
        return (a, b)
    }

    static func niceNumber(_ x: Double, round: Bool) -> Double {
        guard x > 0, x.isFinite else { return 1 }
        let e = NumberText.log10Floor(x)
        let p = NumberText.pow10(Int(e))
        let f = x / p
        let nice: Double
        if round {
            nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10
        } else {
            nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10
        }
        return nice * p
    }

    /// Tick labels formatted for this step.
    var labels: [String] { values.map { NumberText.tick($0, step: step) } }
}
