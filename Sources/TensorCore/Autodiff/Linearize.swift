extension Autodiff {
    /// Reverse and forward mode from one recorded evaluation of `f` (JAX's `vjp` and
    /// `linearize` in one): the value at `xs`, its pullback (cotangent → input cotangents)
    /// and its pushforward (input tangents → J·v). The pushforward sweeps the recorded
    /// graph forward with the primitives' JVP rules, reusing the recorded values instead
    /// of running `f` again as `jvp` would; both may be called many times.
    ///
    /// The recorded values stay alive as long as either closure does. Each pushforward
    /// gives the same numbers as `jvp(at: xs, tangents: v, f).tangent`.
    public static func linearize(at xs: [Tensor], createGraph: Bool? = nil,
                                 _ f: ([Tensor]) throws -> Tensor) throws
        -> (value: Tensor, pullback: (Tensor) throws -> [Tensor], pushforward: ([Tensor]) throws -> Tensor) {
        let nested = AD.transformDepth > 0
        let record = createGraph ?? nested
        let inputs = xs.map(input)
        let saved = AD.recording
        AD.recording = true
        AD.transformDepth += 1
        let y: Tensor
        do {
            defer { AD.transformDepth -= 1; AD.recording = saved }
            y = try f(inputs)
        }
        let pullback: (Tensor) throws -> [Tensor] = { seed in
            let gs = try backward(y, seed: seed, wrt: inputs, createGraph: record)
            return record ? gs : gs.map { $0.detachedKeepingTangent() }
        }
        let pushforward: ([Tensor]) throws -> Tensor = { tangents in
            try forwardSweep(y, inputs: inputs, tangents: tangents, createGraph: record)
        }
        let value = (nested || record) ? y : y.detachedKeepingTangent()
        return (value, pullback, pushforward)
    }

    /// J·v for the recorded graph from `inputs` to `root`: the tangent of every tensor on
    /// a path between them, inputs first, each dropped once its last user has run.
    static func forwardSweep(_ root: Tensor, inputs: [Tensor], tangents: [Tensor],
                             createGraph: Bool) throws(TensorError) -> Tensor {
        guard inputs.count == tangents.count else {
            throw TensorError("linearize", "\(inputs.count) inputs but \(tangents.count) tangents")
        }
        for (x, t) in zip(inputs, tangents) where x.shape != t.shape {
            throw TensorError("linearize", "tangent of shape \(shapeString(t.shape)) for an input of shape \(shapeString(x.shape))")
        }
        let inputIDs = Set(inputs.map(ObjectIdentifier.init))
        let (order, relevant) = pathOrder(root, inputIDs)
        // How many ops on the path still read each tensor's tangent.
        var users: [ObjectIdentifier: Int] = [:]
        for t in order where !inputIDs.contains(ObjectIdentifier(t)) {
            for x in t.node?.inputs ?? [] where relevant[ObjectIdentifier(x)] == true {
                users[ObjectIdentifier(x), default: 0] += 1
            }
        }
        var tan: [ObjectIdentifier: Tensor] = [:]
        for (x, t) in zip(inputs, tangents) { tan[ObjectIdentifier(x)] = t }
        let ad = AD.state
        let (savedRecording, savedSuspended) = (ad.recording, ad.forwardSuspended)
        ad.recording = createGraph
        ad.forwardSuspended = true
        defer { ad.recording = savedRecording; ad.forwardSuspended = savedSuspended }
        for t in order {
            let id = ObjectIdentifier(t)
            if inputIDs.contains(id) { continue }
            guard let node = t.node else { continue }
            var ts: [Tensor?] = []
            ts.reserveCapacity(node.inputs.count)
            var any = false
            for x in node.inputs {
                let xid = ObjectIdentifier(x)
                let tx = relevant[xid] == true ? tan[xid] : nil
                if tx != nil { any = true }
                ts.append(tx)
                if relevant[xid] == true, let n = users[xid] {
                    if n <= 1 { users[xid] = nil; if xid != ObjectIdentifier(root) { tan[xid] = nil } } else { users[xid] = n - 1 }
                }
            }
            guard any, let ty = try node.primitive.jvp(node.inputs, t, ts) else { continue }
            tan[id] = ty
        }
        if let t = tan[ObjectIdentifier(root)] { return t }
        return try Tensor.zeros(root.shape)
    }
}
