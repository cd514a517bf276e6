// Vectorised binary kernels for the two broadcasts a transformer uses all the time:
// - repeat: the small operand is a trailing block of the output's shape, repeated
//   ([B, T, E] + [E]: a bias add; period = E);
// - spread: the small operand is a leading block, each value spread over `inner`
//   consecutive outputs ([R, C] - [R, 1]: softmax / layer-norm backward; inner = C).
// Each output element sees exactly the operation of the generic broadcast loop, and
// threads split whole rows, so results do not depend on the thread count.

extension Kernels {
    /// How a smaller operand of shape `small` broadcasts to `full` along contiguous runs.
    enum BroadcastRun: Equatable {
        /// small[i % period] pairs with output i.
        case repeating(period: Int)
        /// small[i / inner] pairs with output i.
        case spreading(inner: Int)
    }

    /// The run pattern of `small` broadcast to `full`, or nil for other broadcasts.
    /// Precondition: `small` broadcasts to `full` (numpy rules).
    static func broadcastRun(_ small: [Int], to full: [Int]) -> BroadcastRun? {
        guard small.count <= full.count else { return nil }
        let s = [Int](repeating: 1, count: full.count - small.count) + small
        // Spreading: s equals `full` up to its last non-1 axis, 1s after it.
        var j = s.count
        while j > 0 && s[j - 1] == 1 { j -= 1 }
        if s[..<j].elementsEqual(full[..<j]) {
            return .spreading(inner: full[j...].reduce(1, *))
        }
        // Repeating: 1s up to its first non-1 axis, then equal to `full`.
        var i = 0
        while i < s.count && s[i] == 1 { i += 1 }
        if s[i...].elementsEqual(full[i...]) {
            return .repeating(period: full[i...].reduce(1, *))
        }
        return nil
    }

    /// out[i] = f(a[i], b[i % period]) (or f(b[·], a[i]) when `swapped`), `count` a
    /// multiple of `period`.
    static func zipRepeating<Op: VectorZip>(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                            _ out: UnsafeMutablePointer<Float>, count: Int, period: Int,
                                            swapped: Bool, threads: Int? = nil, _ f: Op) {
        if count <= 0 || period <= 0 { return }
        nonisolated(unsafe) let (a, b, out) = (a, b, out)
        forRows(rows: count / period, cols: period, threads: threads) { r in
            let ar = a + r * period, orow = out + r * period
            var i = 0
            while i + 16 <= period {
                let x = load16(ar + i), y = load16(b + i)
                store16(swapped ? f.apply(y, x) : f.apply(x, y), orow + i)
                i += 16
            }
            if i < period {
                let n = period - i
                let x = loadPartial(ar + i, n), y = loadPartial(b + i, n)
                storePartial(swapped ? f.apply(y, x) : f.apply(x, y), orow + i, n)
            }
        }
    }

    /// out[i] = f(a[i], b[i / inner]) (or f(b[·], a[i]) when `swapped`), `count` a
    /// multiple of `inner`.
    static func zipSpreading<Op: VectorZip>(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                            _ out: UnsafeMutablePointer<Float>, count: Int, inner: Int,
                                            swapped: Bool, threads: Int? = nil, _ f: Op) {
        if count <= 0 || inner <= 0 { return }
        nonisolated(unsafe) let (a, b, out) = (a, b, out)
        forRows(rows: count / inner, cols: inner, threads: threads) { r in
            let ar = a + r * inner, orow = out + r * inner
            let y = F16(repeating: b[r])
            var i = 0
            while i + 16 <= inner {
                let x = load16(ar + i)
                store16(swapped ? f.apply(y, x) : f.apply(x, y), orow + i)
                i += 16
            }
            if i < inner {
                let n = inner - i
                let x = loadPartial(ar + i, n)
                storePartial(swapped ? f.apply(y, x) : f.apply(x, y), orow + i, n)
            }
        }
    }
}
