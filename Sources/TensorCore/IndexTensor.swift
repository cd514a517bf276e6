/// An integer tensor for token ids and targets (never differentiated).
public struct IndexTensor: Sendable, Equatable {
    public let shape: [Int]
    public let values: [Int32]
    public var count: Int { values.count }

    public init(shape: [Int], values: [Int32]) throws(TensorError) {
        let n = try Shape.validate(shape, op: "index tensor")
        guard n == values.count else {
            throw TensorError("index tensor", "\(values.count) values do not fill shape \(shapeString(shape))")
        }
        self.shape = shape
        self.values = values
    }

    /// A rank-1 index tensor; a value outside Int32 is an error (never wrapped to a valid id).
    public init(_ values: [Int]) throws(TensorError) {
        var ids: [Int32] = []
        ids.reserveCapacity(values.count)
        for (i, v) in values.enumerated() {
            guard let id = Int32(exactly: v) else {
                throw TensorError("index tensor", "index \(v) at position \(i) does not fit in 32 bits (\(Int32.min)...\(Int32.max))")
            }
            ids.append(id)
        }
        self.shape = [values.count]
        self.values = ids
    }

    /// Checks every index lies in 0..<bound.
    public func checkRange(_ bound: Int, op: String) throws(TensorError) {
        for v in values where v < 0 || Int(v) >= bound {
            throw TensorError(op, "index \(v) is out of range 0..<\(bound)")
        }
    }

    public func reshaped(_ newShape: [Int]) throws(TensorError) -> IndexTensor {
        try IndexTensor(shape: newShape, values: values)
    }
}
