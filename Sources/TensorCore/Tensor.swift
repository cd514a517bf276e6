/// An immutable n-dimensional array of Float32 in contiguous row-major storage, and a node
/// of the autodiff graph.
///
/// Values never change after creation, so reshapes and detached copies share storage.
/// While any input of an op requires gradients (and recording is on), the result remembers
/// the primitive and inputs that made it (`node`); reverse mode walks those links. During a
/// `jvp`, a tensor also carries its tangent for the active forward level.
public final class Tensor: @unchecked Sendable {
    public let shape: [Int]
    public let storage: Storage
    /// Number of elements.
    public var count: Int { storage.count }
    public var rank: Int { shape.count }

    /// The op that produced this tensor, when it was recorded for reverse mode.
    public internal(set) var node: Node?
    /// True for a differentiation input made by `grad`/`vjp` (a leaf of a reverse pass).
    public internal(set) var isGradLeaf: Bool = false
    /// The forward-mode tangent and the level it belongs to.
    var tangent: Tensor?
    var tangentLevel: Int = 0

    /// True when ops on this tensor are recorded for reverse mode.
    public var requiresGrad: Bool { isGradLeaf || node != nil }
    /// True when a transform is following this tensor: recorded for reverse mode or carrying
    /// a forward-mode tangent. Converting it to a plain number would cut it out of that transform.
    public var isTraced: Bool { requiresGrad || tangent != nil }

    init(shape: [Int], storage: Storage) {
        self.shape = shape
        self.storage = storage
    }

    /// A new tensor with uninitialised storage (internal: kernels fill it).
    init(uninitialized shape: [Int]) {
        self.shape = shape
        self.storage = Storage(uninitializedCount: Shape.count(shape))
    }

    // MARK: Creation

    public static func zeros(_ shape: [Int]) throws(TensorError) -> Tensor {
        let n = try Shape.validate(shape, op: "zeros")
        return Tensor(shape: shape, storage: Storage(zeros: n))
    }

    /// A tensor of `shape` whose contents are undefined until written: no zero fill, for
    /// code that overwrites every element (an optimiser's new state, a kernel's output).
    /// Reading an element before writing it gives an unspecified (but harmless) value.
    public static func empty(_ shape: [Int]) throws(TensorError) -> Tensor {
        let n = try Shape.validate(shape, op: "empty")
        return Tensor(shape: shape, storage: Storage(uninitializedCount: n))
    }

    public static func ones(_ shape: [Int]) throws(TensorError) -> Tensor {
        try full(shape, 1, op: "ones")
    }

    public static func full(_ shape: [Int], _ value: Float, op: String = "full") throws(TensorError) -> Tensor {
        let n = try Shape.validate(shape, op: op)
        let s = Storage(uninitializedCount: n)
        s.pointer.initialize(repeating: value, count: n)
        return Tensor(shape: shape, storage: s)
    }

    /// A rank-0 tensor holding one number.
    public static func scalar(_ value: Float) -> Tensor {
        let s = Storage(uninitializedCount: 1)
        s.pointer.initialize(to: value)
        return Tensor(shape: [], storage: s)
    }

    /// `start, start+step, ...` below `end` (like numpy.arange), as a rank-1 tensor.
    public static func arange(_ start: Double = 0, _ end: Double, step: Double = 1) throws(TensorError) -> Tensor {
        guard step != 0, step.isFinite, start.isFinite, end.isFinite else {
            throw TensorError("arange", "start, end and step must be finite and step non-zero (got \(start), \(end), \(step))")
        }
        // The element count ⌈(end − start) / step⌉, in Double until it is known to fit an Int.
        let steps = Swift.max(0, ((end - start) / step).rounded(.up))
        guard steps < 0x1p62 else {
            throw TensorError("arange", "\(start)..<\(end) in steps of \(step) has about \(steps) elements, above the limit of \(Shape.maxElements); use a larger step or a smaller range")
        }
        let n = try Shape.validate([Int(steps)], op: "arange")
        let t = Tensor(shape: [n], storage: Storage(uninitializedCount: n))
        for i in 0..<n { t.storage.pointer[i] = Float(start + Double(i) * step) }
        return t
    }

    /// A tensor of `shape` holding `values` in row-major order.
    public convenience init(shape: [Int], values: [Float]) throws(TensorError) {
        let n = try Shape.validate(shape, op: "tensor")
        guard n == values.count else {
            throw TensorError("tensor", "\(values.count) values do not fill shape \(shapeString(shape)) (\(n) elements)")
        }
        let s = Storage(uninitializedCount: n)
        values.withUnsafeBufferPointer { b in
            if let base = b.baseAddress { s.pointer.initialize(from: base, count: n) }
        }
        self.init(shape: shape, storage: s)
    }

    /// A rank-1 tensor of `values`.
    public convenience init(_ values: [Float]) {
        // A rank-1 shape always matches its values, so this cannot throw.
        let s = Storage(uninitializedCount: values.count)
        values.withUnsafeBufferPointer { b in
            if let base = b.baseAddress { s.pointer.initialize(from: base, count: values.count) }
        }
        self.init(shape: [values.count], storage: s)
    }

    /// Samples from N(mean, std²) with `rng`.
    public static func randomNormal(_ shape: [Int], mean: Float = 0, std: Float = 1, rng: inout TaalmRNG) throws(TensorError) -> Tensor {
        let n = try Shape.validate(shape, op: "randn")
        let t = Tensor(shape: shape, storage: Storage(uninitializedCount: n))
        for i in 0..<n { t.storage.pointer[i] = mean + std * Float(rng.nextNormal()) }
        return t
    }

    /// Samples uniformly from [low, high) with `rng`.
    public static func randomUniform(_ shape: [Int], low: Float = 0, high: Float = 1, rng: inout TaalmRNG) throws(TensorError) -> Tensor {
        let n = try Shape.validate(shape, op: "rand")
        let t = Tensor(shape: shape, storage: Storage(uninitializedCount: n))
        let span = Double(high - low)
        for i in 0..<n { t.storage.pointer[i] = low + Float(rng.nextUnit() * span) }
        return t
    }

    // MARK: Reading values

    /// All elements in row-major order.
    public var scalars: [Float] { Array(UnsafeBufferPointer(start: storage.pointer, count: count)) }

    /// The single element of a one-element tensor.
    public func item() throws(TensorError) -> Float {
        guard count == 1 else { throw TensorError("item", "tensor of shape \(shapeString(shape)) has \(count) elements, not one") }
        return storage.pointer[0]
    }

    /// The element at a full multi-index (bounds-checked).
    public func element(at index: [Int]) throws(TensorError) -> Float {
        guard index.count == rank else {
            throw TensorError("index", "\(index.count) indices for a tensor of rank \(rank) \(shapeString(shape))")
        }
        var offset = 0
        let st = Shape.strides(shape)
        for (i, ix) in index.enumerated() {
            let j = ix < 0 ? ix + shape[i] : ix
            guard j >= 0 && j < shape[i] else {
                throw TensorError("index", "index \(ix) is out of range for axis \(i) of size \(shape[i])")
            }
            offset += j * st[i]
        }
        return storage.pointer[offset]
    }

    /// The same values, cut loose from the autodiff graph and from any tangent.
    public func detach() -> Tensor { Tensor(shape: shape, storage: storage) }
}
