/// Tensors from nested Swift arrays: `try Tensor(nested: [[1, 2, 3], [4, 5, 6]])` has
/// shape [2, 3]. Every level must be rectangular (a ragged array is an error naming the
/// first row that differs); an empty level keeps the rank of its type ([[Float]]() is
/// [0, 0]).

/// A number or a nested array of numbers that `Tensor(nested:)` accepts.
public protocol NestedScalars {
    /// How many array levels the type has (0 for a number).
    static var nestingDepth: Int { get }
    /// Appends the scalars in row-major order to `out` and returns this value's shape;
    /// `path` is this value's position in the outermost array (for error messages).
    func appendScalars(to out: inout [Float], path: [Int]) throws(TensorError) -> [Int]
}

extension Float: NestedScalars {
    public static var nestingDepth: Int { 0 }
    public func appendScalars(to out: inout [Float], path: [Int]) throws(TensorError) -> [Int] {
        out.append(self)
        return []
    }
}

extension Double: NestedScalars {
    public static var nestingDepth: Int { 0 }
    public func appendScalars(to out: inout [Float], path: [Int]) throws(TensorError) -> [Int] {
        out.append(Float(self))
        return []
    }
}

extension Int: NestedScalars {
    public static var nestingDepth: Int { 0 }
    public func appendScalars(to out: inout [Float], path: [Int]) throws(TensorError) -> [Int] {
        out.append(Float(self))
        return []
    }
}

extension Array: NestedScalars where Element: NestedScalars {
    public static var nestingDepth: Int { Element.nestingDepth + 1 }
    public func appendScalars(to out: inout [Float], path: [Int]) throws(TensorError) -> [Int] {
        guard !isEmpty else { return [Int](repeating: 0, count: Self.nestingDepth) }
        var inner: [Int] = []
        for (i, e) in enumerated() {
            let s = try e.appendScalars(to: &out, path: path + [i])
            if i == 0 {
                inner = s
            } else if s != inner {
                throw TensorError("tensor", "ragged nested array: \(shapeString(path + [i])) has shape \(shapeString(s)) but \(shapeString(path + [0])) has shape \(shapeString(inner))")
            }
        }
        return [count] + inner
    }
}

extension Tensor {
    /// A tensor holding a number or a rectangular nested array of numbers, its shape the
    /// nesting's: `Tensor(nested: [[1, 2], [3, 4]])` is [2, 2], `Tensor(nested: 2.5)` a scalar.
    public convenience init(nested: some NestedScalars) throws(TensorError) {
        var values: [Float] = []
        let shape = try nested.appendScalars(to: &values, path: [])
        try self.init(shape: shape, values: values)
    }
}
