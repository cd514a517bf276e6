@testable import TensorCore

/// One way to exercise a primitive: inputs and the function applying it.
struct PrimitiveCase {
    let primitive: String
    let label: String
    let inputs: [Tensor]
    let f: ([Tensor]) throws -> Tensor
    /// Finite-difference step (smaller near kinks).
    var eps: Float = 1e-2
}

/// Every registered primitive on fixed shapes (broadcasting, odd sizes, transposes, the
/// fused primitives' variants), then the structural families again on shapes drawn from
/// `seed` (`randomPrimitiveCases`).
func primitiveCases(seed: UInt64) -> [PrimitiveCase] {
    var fx = Fixture(seed: seed)
    var cases: [PrimitiveCase] = []
    func add(_ p: String, _ label: String, _ inputs: [Tensor], eps: Float = 1e-2, _ f: @escaping ([Tensor]) throws -> Tensor) {
        cases.append(PrimitiveCase(primitive: p, label: label, inputs: inputs, f: f, eps: eps))
    }
    for k in UnaryKind.allCases {
        let x: Tensor
        switch k {
        case .log, .sqrt: x = fx.uniform([3, 5], 0.5, 2)
        case .relu, .abs: x = fx.awayFromZero([3, 5])
        default: x = fx.normal([3, 5])
        }
        add(k.rawValue, "[3,5]", [x]) { try unaryOp(k, $0[0]) }
        add(k.rawValue, "[17]", [k == .log || k == .sqrt ? fx.uniform([17], 0.5, 2) : fx.awayFromZero([17])]) { try unaryOp(k, $0[0]) }
    }
    for k in BinaryKind.allCases {
        var a = fx.normal([2, 3, 4]), b = fx.normal([3, 1])
        switch k {
        case .div: b = fx.awayFromZero([3, 1], gap: 0.5)
        case .pow: a = fx.uniform([2, 3, 4], 0.5, 2); b = fx.normal([3, 1], std: 0.5)
        case .maximum, .minimum: a = fx.distinct([2, 3, 4], gap: 0.1); b = fx.distinct([3, 1], gap: 0.3, offset: 0.05)
        default: break
        }
        let eps: Float = (k == .maximum || k == .minimum) ? 1e-3 : 1e-2
        add(k.rawValue, "[2,3,4]⊕[3,1]", [a, b], eps: eps) { try binary(k, $0[0], $0[1]) }
        add(k.rawValue, "[5]⊕[5]", [k == .pow ? fx.uniform([5], 0.5, 2) : fx.distinct([5], gap: 0.3, offset: 0.05),
                                    k == .div ? fx.awayFromZero([5]) : fx.distinct([5], gap: 0.3)], eps: eps) { try binary(k, $0[0], $0[1]) }
    }
    for k in CompareKind.allCases {
        add(k.rawValue, "[4,3]⊕[3]", [fx.distinct([4, 3], gap: 0.2, offset: 0.05), fx.distinct([3], gap: 0.3)], eps: 1e-3) {
            try compare(k, $0[0], $0[1])
        }
    }
    let cond = try! Tensor(shape: [3, 4], values: (0..<12).map { Float($0 % 3 == 0 ? 1 : 0) })
    add("where", "cond[3,4] a[3,4] b[4]", [fx.normal([3, 4]), fx.normal([4])]) { try select(cond, $0[0], $0[1]) }
    add("sum", "axes [0,2]", [fx.normal([2, 3, 5])]) { try sum($0[0], axes: [0, 2]) }
    add("sum", "all", [fx.normal([3, 7])]) { try sum($0[0]) }
    add("sum", "keepDims axis -1", [fx.normal([4, 19])]) { try sum($0[0], axes: [-1], keepDims: true) }
    add("max", "axis 1", [fx.distinct([3, 5, 2])], eps: 1e-3) { try max($0[0], axes: [1]) }
    add("max", "all keepDims", [fx.distinct([4, 6])], eps: 1e-3) { try max($0[0], axes: nil, keepDims: true) }
    add("matmul", "[3,4]@[4,5]", [fx.normal([3, 4]), fx.normal([4, 5])]) { try matmul($0[0], $0[1]) }
    add("matmul", "[2,3,4]@[4,5]", [fx.normal([2, 3, 4]), fx.normal([4, 5])]) { try matmul($0[0], $0[1]) }
    add("matmul", "[2,3,4]@[2,4,5]", [fx.normal([2, 3, 4]), fx.normal([2, 4, 5])]) { try matmul($0[0], $0[1]) }
    add("matmul", "[1,3,4]@[2,4,5]", [fx.normal([1, 3, 4]), fx.normal([2, 4, 5])]) { try matmul($0[0], $0[1]) }
    add("matmul", "[2,4,3]ᵀ@[2,5,4]ᵀ", [fx.normal([2, 4, 3]), fx.normal([2, 5, 4])]) { try matmul($0[0], $0[1], transA: true, transB: true) }
    add("matmul", "[4,3]ᵀ@[4,5]", [fx.normal([4, 3]), fx.normal([4, 5])]) { try matmul($0[0], $0[1], transA: true) }
    add("matmul", "[2,3,4]@[5,4]ᵀ", [fx.normal([2, 3, 4]), fx.normal([5, 4])]) { try matmul($0[0], $0[1], transB: true) }
    add("matmul", "vector@[4,5]", [fx.normal([4]), fx.normal([4, 5])]) { try matmul($0[0], $0[1]) }
    add("reshape", "[2,3,4]→[6,4]", [fx.normal([2, 3, 4])]) { try reshape($0[0], [6, -1]) }
    add("permute", "[2,3,4]→(2,0,1)", [fx.normal([2, 3, 4])]) { try permute($0[0], [2, 0, 1]) }
    add("permute", "transpose [5,3]", [fx.normal([5, 3])]) { try transpose($0[0]) }
    add("slice", "axis 1 [1:3]", [fx.normal([2, 4, 3])]) { try slice($0[0], axis: 1, start: 1, end: 3) }
    add("slice", "axis 0 [::2]", [fx.normal([7, 3])]) { try slice($0[0], axis: 0, start: 0, end: 7, step: 2) }
    add("pad", "axis 1 at 1 step 2 of 6", [fx.normal([2, 3])]) { try apply(PadPrim(axis: 1, start: 1, step: 2, size: 6), [$0[0]]) }
    add("concat", "3 along axis 1", [fx.normal([2, 1, 3]), fx.normal([2, 2, 3]), fx.normal([2, 3, 3])]) { try concat($0, axis: 1) }
    add("expand", "[3,1]→[2,3,4]", [fx.normal([3, 1])]) { try expand($0[0], [2, 3, 4]) }
    let ids = fx.indices([2, 4], below: 6)
    add("gather", "table[6,3] ids[2,4]", [fx.normal([6, 3])]) { try gather($0[0], ids) }
    add("scatter_add", "src[2,4,3] rows 6", [fx.normal([2, 4, 3])]) { try scatterAdd($0[0], ids, rows: 6) }
    let idx = fx.indices([3], below: 5)
    add("take_last", "[3,5]", [fx.normal([3, 5])]) { try takeLast($0[0], idx) }
    add("put_last", "[3] into 5", [fx.normal([3])]) { try putLast($0[0], idx, classes: 5) }
    add("softmax", "[3,5]", [fx.normal([3, 5])]) { try softmax($0[0]) }
    add("log_softmax", "[2,3,7]", [fx.normal([2, 3, 7])]) { try logSoftmax($0[0]) }
    add("layer_norm", "[3,5]", [fx.normal([3, 5])]) { try layerNorm($0[0]) }
    add("layer_norm", "[2,2,17]", [fx.normal([2, 2, 17])]) { try layerNorm($0[0]) }
    add("layer_norm_jacobian", "[3,5]", [fx.normal([3, 5]), fx.normal([3, 5])]) {
        try apply(LayerNormJacobianPrim(eps: 1e-5), [$0[0], $0[1]])
    }
    add("layer_norm_jacobian", "[2,2,17]", [fx.normal([2, 2, 17]), fx.normal([2, 2, 17])]) {
        try apply(LayerNormJacobianPrim(eps: 1e-5), [$0[0], $0[1]])
    }
    let targets = fx.indices([2, 3], below: 7)
    let ceTargets = fx.indices([4], below: 19)
    add("cross_entropy", "[2,3,7]", [fx.normal([2, 3, 7])]) { try crossEntropy($0[0], targets) }
    add("cross_entropy_grad", "[2,3,7] g[2,3]", [fx.normal([2, 3, 7]), fx.normal([2, 3])]) {
        try apply(CrossEntropyGradPrim(targets: targets), [$0[0], $0[1]])
    }
    add("cross_entropy_grad", "[4,19] g[4]", [fx.normal([4, 19]), fx.normal([4])]) {
        try apply(CrossEntropyGradPrim(targets: ceTargets), [$0[0], $0[1]])
    }
    add("identity", "[4]", [fx.normal([4])]) { try identity($0[0]) }
    add("linear", "[2,3,4]·[4,5]+[5]", [fx.normal([2, 3, 4]), fx.normal([4, 5]), fx.normal([5])]) { try linear($0[0], $0[1], $0[2]) }
    add("linear", "[3,17]·[17,18]+[18]", [fx.normal([3, 17]), fx.normal([17, 18]), fx.normal([18])]) { try linear($0[0], $0[1], $0[2]) }
    add("linear", "two products, no bias", [fx.normal([2, 3, 4]), fx.normal([4, 5]), fx.normal([2, 3, 6]), fx.normal([6, 5])]) {
        try apply(LinearPrim(pairs: 2, bias: false), $0)
    }
    add("linear", "two products + bias", [fx.normal([3, 4]), fx.normal([4, 5]), fx.normal([3, 2]), fx.normal([2, 5]), fx.normal([5])]) {
        try apply(LinearPrim(pairs: 2, bias: true), $0)
    }
    add("softmax_jacobian", "[3,5]", [fx.normal([3, 5]), fx.normal([3, 5])]) { try softmaxJacobian($0[0], $0[1]) }
    add("softmax_jacobian", "[2,2,17] scale 0.5", [fx.normal([2, 2, 17]), fx.normal([2, 2, 17])]) {
        try softmaxJacobian($0[0], $0[1], scale: 0.5)
    }
    add("causal_softmax", "[2,3,4,4] scale 0.35", [fx.normal([2, 3, 4, 4])]) { try causalSoftmax($0[0], scale: 0.35) }
    add("causal_softmax", "[18,18]", [fx.normal([18, 18])]) { try causalSoftmax($0[0]) }
    add("gelu_backward", "[3,5]", [fx.normal([3, 5], std: 2), fx.normal([3, 5])]) { try apply(GeluBackwardPrim(), [$0[0], $0[1]]) }
    add("gelu_backward", "[19]", [fx.normal([19], std: 2), fx.normal([19])]) { try apply(GeluBackwardPrim(), [$0[0], $0[1]]) }
    // Inputs of std 0.5 keep the products' outputs near unit scale, where tanh in the
    // second-order check is not saturated (its finite differences stay accurate).
    add("head_scores", "[2,3,2,4]·[2,5,2,4]", [fx.normal([2, 3, 2, 4], std: 0.5), fx.normal([2, 5, 2, 4], std: 0.5)]) { try headScores($0[0], $0[1]) }
    add("head_context", "[2,2,3,5]·[2,5,2,4]", [fx.normal([2, 2, 3, 5], std: 0.5), fx.normal([2, 5, 2, 4], std: 0.5)]) { try headContext($0[0], $0[1]) }
    add("head_context", "[2,2,5,3]ᵀ·[2,5,2,4]", [fx.normal([2, 2, 5, 3], std: 0.5), fx.normal([2, 5, 2, 4], std: 0.5)]) {
        try headContext($0[0], $0[1], transA: true)
    }
    // Sums of two products per head (a forward-mode sweep's t_a·bᵀ + a·t_bᵀ).
    add("head_scores", "two pairs", [fx.normal([2, 3, 2, 4], std: 0.5), fx.normal([2, 5, 2, 4], std: 0.5),
                                     fx.normal([2, 3, 2, 4], std: 0.5), fx.normal([2, 5, 2, 4], std: 0.5)]) {
        try apply(HeadScoresPrim(pairs: 2), $0)
    }
    add("head_context", "two pairs, transposed", [fx.normal([2, 2, 5, 3], std: 0.5), fx.normal([2, 5, 2, 4], std: 0.5),
                                                  fx.normal([2, 2, 5, 3], std: 0.5), fx.normal([2, 5, 2, 4], std: 0.5)]) {
        try apply(HeadContextPrim(transA: true, pairs: 2), $0)
    }
    add("layer_norm_gain_grad", "[3,5]", [fx.normal([3, 5]), fx.normal([3, 5])]) { try apply(LayerNormGainGradPrim(eps: 1e-5), [$0[0], $0[1]]) }
    add("layer_norm_gain_grad", "[2,3,70]", [fx.normal([2, 3, 70]), fx.normal([2, 3, 70])]) { try apply(LayerNormGainGradPrim(eps: 1e-5), [$0[0], $0[1]]) }
    add("layer_norm_affine", "[3,5]", [fx.normal([3, 5]), fx.normal([5]), fx.normal([5])]) { try layerNormAffine($0[0], $0[1], $0[2]) }
    add("layer_norm_affine", "[2,2,17]", [fx.normal([2, 2, 17]), fx.normal([17]), fx.normal([17])]) { try layerNormAffine($0[0], $0[1], $0[2]) }
    add("layer_norm_affine_tangent", "[3,5]", [fx.normal([3, 5]), fx.normal([5]), fx.normal([3, 5]), fx.normal([5]), fx.normal([5])]) {
        try apply(LayerNormAffineTangentPrim(eps: 1e-5), $0)
    }
    add("layer_norm_affine_tangent", "[2,2,19]", [fx.normal([2, 2, 19]), fx.normal([19]), fx.normal([2, 2, 19]), fx.normal([19]), fx.normal([19])]) {
        try apply(LayerNormAffineTangentPrim(eps: 1e-5), $0)
    }
    return cases + randomPrimitiveCases(seed: seed)
}
