/// The function transforms: reverse mode (`grad`, `valueAndGrad`, `vjp`), forward mode
/// (`jvp`), and scopes. Transforms nest: a transform run inside another records its own
/// backward pass, so its result can be differentiated again (grad of grad, gradients
/// through an optimiser step).
public enum Autodiff {
    /// Makes the differentiation input for `x`: a fresh tensor sharing `x`'s values whose
    /// gradient this transform collects. It stays linked to `x` (an identity edge) when an
    /// outer transform differentiates through `x`, and keeps `x`'s forward tangent.
    static func input(_ x: Tensor) -> Tensor {
        let t = Tensor(shape: x.shape, storage: x.storage)
        t.isGradLeaf = true
        if AD.recording && x.requiresGrad { t.node = Node(IdentityPrim(), [x]) }
        if AD.forwardLevel != 0, x.tangentLevel == AD.forwardLevel {
            t.tangent = x.tangent
            t.tangentLevel = x.tangentLevel
        }
        return t
    }

    /// The backward pass: cotangents of `targets` for output `root` seeded with `seed`.
    /// Walks only the part of the graph between `root` and the targets. With
    /// `createGraph`, the backward ops are themselves recorded.
    public static func backward(_ root: Tensor, seed: Tensor, wrt targets: [Tensor],
                                createGraph: Bool) throws(TensorError) -> [Tensor] {
        guard seed.shape == root.shape else {
            throw TensorError("backward", "seed of shape \(shapeString(seed.shape)) does not match output \(shapeString(root.shape))")
        }
        let targetIDs = Set(targets.map(ObjectIdentifier.init))
        let (order, relevant) = pathOrder(root, targetIDs)
        var cot: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): seed]
        var results: [ObjectIdentifier: Tensor] = [:]
        let ad = AD.state
        let saved = ad.recording
        ad.recording = createGraph
        ad.backwardDepth += 1
        defer {
            ad.backwardDepth -= 1
            DeferredWork.waitAll(ad)  // no product queued below outlives the pass
            ad.recording = saved
        }
        for t in order.reversed() {
            let id = ObjectIdentifier(t)
            guard let g = cot.removeValue(forKey: id) else { continue }
            if targetIDs.contains(id) { results[id] = g }
            guard let node = t.node else { continue }
            let needs = node.inputs.map { relevant[ObjectIdentifier($0)] == true }
            guard needs.contains(true) else { continue }
            if g.storage.pendingWrite { DeferredWork.waitAll(ad) }  // rules read g's memory directly
            let grads = try node.primitive.vjp(node.inputs, t, g, needs)
            for (k, x) in node.inputs.enumerated() where needs[k] {
                guard let gx = grads[k] else { continue }
                guard gx.shape == x.shape else {
                    throw TensorError("backward", "internal: \(node.primitive.name) gave a gradient of shape \(shapeString(gx.shape)) for an input of shape \(shapeString(x.shape))")
                }
                let xid = ObjectIdentifier(x)
                if let acc = cot[xid] { cot[xid] = try add(acc, gx) } else { cot[xid] = gx }
            }
        }
        var out: [Tensor] = []
        for x in targets {
            if let g = results[ObjectIdentifier(x)] { out.append(g) } else { out.append(try Tensor.zeros(x.shape)) }
        }
        return out
    }

    /// The tensors on a path from `root` down to one of `targets`, inputs before the ops
    /// that use them (an iterative post-order DFS), and which tensors lead to a target.
    static func pathOrder(_ root: Tensor, _ targetIDs: Set<ObjectIdentifier>) -> (order: [Tensor], relevant: [ObjectIdentifier: Bool]) {
        var relevant: [ObjectIdentifier: Bool] = [:]
        var order: [Tensor] = []
        var stack: [(Tensor, Int)] = [(root, 0)]
        while let (t, i) = stack.popLast() {
            let id = ObjectIdentifier(t)
            let inputs = t.node?.inputs ?? []
            if i < inputs.count {
                stack.append((t, i + 1))
                let child = inputs[i]
                if relevant[ObjectIdentifier(child)] == nil && child.requiresGrad {
                    relevant[ObjectIdentifier(child)] = false  // visiting
                    stack.append((child, 0))
                }
                continue
            }
            var r = targetIDs.contains(id)
            for x in inputs where relevant[ObjectIdentifier(x)] == true { r = true }
            relevant[id] = r
            if r { order.append(t) }
        }
        return (order, relevant)
    }

    /// The value of `f` at `xs` and its gradients with respect to each input; `f` must
    /// return a one-element tensor. `createGraph` (default: when nested in another
    /// transform) records the backward pass so the gradients can be differentiated.
    public static func valueAndGrad(at xs: [Tensor], createGraph: Bool? = nil,
                                    _ f: ([Tensor]) throws -> Tensor) throws -> (value: Tensor, grads: [Tensor]) {
        let (y, pullback) = try vjp(at: xs, createGraph: createGraph, f)
        guard y.count == 1 else {
            throw TensorError("grad", "the function must return a single number, but returned a tensor of shape \(shapeString(y.shape)); reduce it first (e.g. sum or mean)")
        }
        let grads = try pullback(try Tensor.full(y.shape, 1))
        return (y, grads)
    }

    /// Gradients of a scalar-valued `f` at `xs`.
    public static func grad(at xs: [Tensor], createGraph: Bool? = nil,
                            _ f: ([Tensor]) throws -> Tensor) throws -> [Tensor] {
        try valueAndGrad(at: xs, createGraph: createGraph, f).grads
    }

    /// The value of `f` at `xs` and its pullback: a function from an output cotangent to the
    /// input cotangents (vector-Jacobian products). The pullback may be called many times.
    public static func vjp(at xs: [Tensor], createGraph: Bool? = nil,
                           _ f: ([Tensor]) throws -> Tensor) throws -> (value: Tensor, pullback: (Tensor) throws -> [Tensor]) {
        let (value, pullback, _) = try linearize(at: xs, createGraph: createGraph, f)
        return (value, pullback)
    }
}

extension Tensor {
    /// A copy sharing values and tangent but not the reverse graph.
    func detachedKeepingTangent() -> Tensor {
        let t = Tensor(shape: shape, storage: storage)
        t.tangent = tangent
        t.tangentLevel = tangentLevel
        return t
    }
}
