extension Autodiff {
    /// Forward mode: the value of `f` at `xs` and its directional derivative along
    /// `tangents` (J·v), propagated through the same primitives' JVP rules. No reverse pass.
    /// `jvp` may run inside `grad` and `grad` inside `jvp`; a `jvp` inside a `jvp` is not
    /// supported and is reported as an error.
    public static func jvp(at xs: [Tensor], tangents: [Tensor],
                           _ f: ([Tensor]) throws -> Tensor) throws -> (value: Tensor, tangent: Tensor) {
        guard xs.count == tangents.count else {
            throw TensorError("jvp", "\(xs.count) inputs but \(tangents.count) tangents")
        }
        for (x, t) in zip(xs, tangents) where x.shape != t.shape {
            throw TensorError("jvp", "tangent of shape \(shapeString(t.shape)) for an input of shape \(shapeString(x.shape))")
        }
        guard AD.forwardLevel == 0 else {
            throw TensorError("jvp", "a jvp inside another jvp is not supported; nest grad inside jvp instead")
        }
        let level = AD.newLevel()
        AD.forwardLevel = level
        defer { AD.forwardLevel = 0 }
        let inputs: [Tensor] = zip(xs, tangents).map { x, t in
            let d = Tensor(shape: x.shape, storage: x.storage)
            if AD.recording && x.requiresGrad { d.node = Node(IdentityPrim(), [x]) }
            d.tangent = t
            d.tangentLevel = level
            return d
        }
        let y = try f(inputs)
        let t: Tensor
        if y.tangentLevel == level, let yt = y.tangent { t = yt } else { t = try Tensor.zeros(y.shape) }
        let value = Tensor(shape: y.shape, storage: y.storage)
        value.node = y.node
        value.isGradLeaf = y.isGradLeaf
        return (value, t)
    }
}
