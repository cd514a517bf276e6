@testable import TensorCore

/// Shapes drawn from a seeded generator: each seed of the gradient checker sees other
/// sizes (odd lengths, scalars, broadcasting pairs, random axes, slices and products).
struct ShapeDraw {
    var rng: TaalmRNG
    init(seed: UInt64) { rng = TaalmRNG(seed: seed) }

    mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + rng.nextInt(below: r.count) }
    mutating func coin() -> Bool { rng.nextInt(below: 2) == 1 }
    mutating func shape(rank: ClosedRange<Int>, dims: ClosedRange<Int> = 1...6) -> [Int] {
        (0..<int(rank)).map { _ in int(dims) }
    }
    /// A shape that broadcasts to `full`: some leading axes dropped, some axes set to 1.
    mutating func broadcastable(to full: [Int]) -> [Int] {
        let drop = int(0...full.count)
        return full.dropFirst(drop).map { coin() ? 1 : $0 }
    }
    /// Two shapes whose broadcast is `full`'s or smaller: one of them `full` itself, or both reduced.
    mutating func pair(_ full: [Int]) -> ([Int], [Int]) {
        switch int(0...2) {
        case 0: return (full, broadcastable(to: full))
        case 1: return (broadcastable(to: full), full)
        default: return (broadcastable(to: full), broadcastable(to: full))
        }
    }
    mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        for i in stride(from: n - 1, to: 0, by: -1) { p.swapAt(i, rng.nextInt(below: i + 1)) }
        return p
    }
    /// A non-empty subset of 0..<rank, sorted.
    mutating func axes(_ rank: Int) -> [Int] {
        let all = Array(0..<rank).filter { _ in coin() }
        return all.isEmpty ? [int(0...(rank - 1))] : all
    }
}

/// Every structural family of primitives again on shapes drawn from `seed`.
func randomPrimitiveCases(seed: UInt64) -> [PrimitiveCase] {
    var draw = ShapeDraw(seed: seed &+ 400)
    var fx = Fixture(seed: seed &+ 500)
    var cases: [PrimitiveCase] = []
    func add(_ p: String, _ label: String, _ inputs: [Tensor], eps: Float = 1e-2, _ f: @escaping ([Tensor]) throws -> Tensor) {
        cases.append(PrimitiveCase(primitive: p, label: "random " + label, inputs: inputs, f: f, eps: eps))
    }
    func s(_ shape: [Int]) -> String { shapeString(shape) }

    for k in UnaryKind.allCases {
        let shape = draw.shape(rank: 0...3)
        let x: Tensor
        switch k {
        case .log, .sqrt: x = fx.uniform(shape, 0.5, 2)
        case .relu, .abs: x = fx.awayFromZero(shape)
        default: x = fx.normal(shape)
        }
        add(k.rawValue, s(shape), [x]) { try unaryOp(k, $0[0]) }
    }
    for k in BinaryKind.allCases {
        let (sa, sb) = draw.pair(draw.shape(rank: 1...3))
        var a = fx.normal(sa), b = fx.normal(sb)
        switch k {
        case .div: b = fx.awayFromZero(sb, gap: 0.5)
        case .pow: a = fx.uniform(sa, 0.5, 2); b = fx.normal(sb, std: 0.5)
        case .maximum, .minimum: a = fx.distinct(sa, gap: 0.1); b = fx.distinct(sb, gap: 0.3, offset: 0.05)
        default: break
        }
        let eps: Float = (k == .maximum || k == .minimum) ? 1e-3 : 1e-2
        add(k.rawValue, "\(s(sa))⊕\(s(sb))", [a, b], eps: eps) { try binary(k, $0[0], $0[1]) }
    }
    for k in CompareKind.allCases {
        let (sa, sb) = draw.pair(draw.shape(rank: 1...3))
        add(k.rawValue, "\(s(sa))⊕\(s(sb))", [fx.distinct(sa, gap: 0.1), fx.distinct(sb, gap: 0.3, offset: 0.05)], eps: 1e-3) {
            try compare(k, $0[0], $0[1])
        }
    }
    do {
        let full = draw.shape(rank: 1...3)
        let sc = draw.broadcastable(to: full)
        let (sa, sb) = draw.pair(full)
        let cond = try! Tensor(shape: sc, values: (0..<Shape.count(sc)).map { _ in Float(draw.int(0...1)) })
        add("where", "cond\(s(sc)) a\(s(sa)) b\(s(sb))", [fx.normal(sa), fx.normal(sb)]) { try select(cond, $0[0], $0[1]) }
    }
    do {
        let shape = draw.shape(rank: 1...4, dims: 1...5), axes = draw.axes(shape.count), keep = draw.coin()
        add("sum", "\(s(shape)) axes \(axes) keepDims \(keep)", [fx.normal(shape)]) { try sum($0[0], axes: axes, keepDims: keep) }
    }
    do {
        let shape = draw.shape(rank: 1...3), axes = draw.axes(shape.count), keep = draw.coin()
        add("max", "\(s(shape)) axes \(axes) keepDims \(keep)", [fx.distinct(shape)], eps: 1e-3) { try max($0[0], axes: axes, keepDims: keep) }
    }
    for _ in 0..<2 {
        let (m, k, n) = (draw.int(1...9), draw.int(1...9), draw.int(1...9))
        let (ba, bb) = draw.pair(draw.shape(rank: 0...2, dims: 1...3))
        let ta = draw.coin(), tb = draw.coin()
        let sa = ba + (ta ? [k, m] : [m, k]), sb = bb + (tb ? [n, k] : [k, n])
        add("matmul", "\(s(sa))\(ta ? "ᵀ" : "")@\(s(sb))\(tb ? "ᵀ" : "")", [fx.normal(sa), fx.normal(sb)]) {
            try matmul($0[0], $0[1], transA: ta, transB: tb)
        }
    }
    do {
        let k = draw.int(1...9), n = draw.int(1...9), vectorLeft = draw.coin()
        let sa = vectorLeft ? [k] : [n, k], sb = vectorLeft ? [k, n] : [k]
        add("matmul", "\(s(sa))@\(s(sb)) (a vector)", [fx.normal(sa), fx.normal(sb)]) { try matmul($0[0], $0[1]) }
    }
    do {
        let shape = draw.shape(rank: 2...3)
        let target: [Int] = draw.coin() ? Array(shape.reversed()) : [-1]
        add("reshape", "\(s(shape))→\(s(target))", [fx.normal(shape)]) { try reshape($0[0], target) }
    }
    do {
        let shape = draw.shape(rank: 2...4, dims: 1...5)
        var perm = draw.permutation(shape.count)
        if perm == Array(perm.indices) { perm.swapAt(0, 1) }  // the identity applies no primitive
        add("permute", "\(s(shape)) by \(perm)", [fx.normal(shape)]) { try permute($0[0], perm) }
    }
    do {
        let shape = draw.shape(rank: 1...3, dims: 2...7), axis = draw.int(0...(shape.count - 1))
        let size = shape[axis], start = draw.int(0...(size - 1)), end = draw.int((start + 1)...size)
        let step = draw.coin() ? draw.int(1...3) : Int.max - draw.int(0...2)
        add("slice", "\(s(shape)) axis \(axis) [\(start):\(end):\(step)]", [fx.normal(shape)]) {
            try slice($0[0], axis: axis, start: start, end: end, step: step)
        }
    }
    do {
        let shape = draw.shape(rank: 1...3), axis = draw.int(0...(shape.count - 1))
        let len = shape[axis], step = draw.int(1...3), start = draw.int(0...2)
        let size = start + (len - 1) * step + 1 + draw.int(0...2)
        add("pad", "\(s(shape)) axis \(axis) at \(start) step \(step) of \(size)", [fx.normal(shape)]) {
            try apply(PadPrim(axis: axis, start: start, step: step, size: size), [$0[0]])
        }
    }
    do {
        let base = draw.shape(rank: 1...3), axis = draw.int(0...(base.count - 1))
        let shapes = (0..<draw.int(2...3)).map { _ in var t = base; t[axis] = draw.int(1...4); return t }
        add("concat", "\(shapes.map(s)) axis \(axis)", shapes.map { fx.normal($0) }) { try concat($0, axis: axis) }
    }
    do {
        let full = draw.shape(rank: 1...3), small = draw.broadcastable(to: full)
        add("expand", "\(s(small))→\(s(full))", [fx.normal(small)]) { try expand($0[0], full) }
    }
    do {
        let rows = draw.int(1...7), rest = draw.shape(rank: 0...2)
        let ids = fx.indices(draw.shape(rank: 0...2), below: rows)
        add("gather", "table\(s([rows] + rest)) ids\(s(ids.shape))", [fx.normal([rows] + rest)]) { try gather($0[0], ids) }
        add("scatter_add", "src\(s(ids.shape + rest)) rows \(rows)", [fx.normal(ids.shape + rest)]) { try scatterAdd($0[0], ids, rows: rows) }
    }
    do {
        let lead = draw.shape(rank: 0...2), classes = draw.int(1...7)
        let idx = fx.indices(lead, below: classes)
        add("take_last", "\(s(lead + [classes]))", [fx.normal(lead + [classes])]) { try takeLast($0[0], idx) }
        add("put_last", "\(s(lead)) into \(classes)", [fx.normal(lead)]) { try putLast($0[0], idx, classes: classes) }
        add("cross_entropy", "\(s(lead + [classes]))", [fx.normal(lead + [classes])]) { try crossEntropy($0[0], idx) }
    }
    for p in ["softmax", "log_softmax", "layer_norm"] {
        let shape = draw.shape(rank: 1...3, dims: 2...9)
        add(p, s(shape), [fx.normal(shape)]) { xs in
            if p == "softmax" { return try softmax(xs[0]) }
            if p == "log_softmax" { return try logSoftmax(xs[0]) }
            return try layerNorm(xs[0])
        }
    }
    do {
        let lead = draw.shape(rank: 1...2), k = draw.int(1...9), n = draw.int(1...9)
        add("linear", "\(s(lead + [k]))·\(s([k, n]))+\(s([n]))", [fx.normal(lead + [k]), fx.normal([k, n]), fx.normal([n])]) {
            try linear($0[0], $0[1], $0[2])
        }
    }
    return cases
}
