/// Shape arithmetic shared by every op: validation, element counts, strides, broadcasting.
public enum Shape {
    /// Tensors larger than this many elements are refused with an error instead of
    /// exhausting memory (default 2^31, 8 GiB of Float32). Interpreters may lower it.
    nonisolated(unsafe) public static var maxElements: Int = 1 << 31
    /// What the too-large error tells the user to do (an embedder names its own setting).
    nonisolated(unsafe) public static var limitAdvice = "use a smaller size or raise the limit"

    /// Checks that `shape` is a possible tensor shape and returns its element count.
    public static func validate(_ shape: [Int], op: String) throws(TensorError) -> Int {
        var n = 1
        for d in shape {
            guard d >= 0 else { throw TensorError(op, "negative dimension in shape \(shapeString(shape))") }
            let (m, overflow) = n.multipliedReportingOverflow(by: d)
            guard !overflow else { throw TensorError(op, "shape \(shapeString(shape)) has too many elements") }
            n = m
        }
        guard n <= maxElements else {
            throw TensorError(op, "shape \(shapeString(shape)) has \(n) elements, above the limit of \(maxElements); \(limitAdvice)")
        }
        return n
    }

    @inlinable
    public static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    /// Row-major strides (in elements) for a contiguous tensor.
    @inlinable
    public static func strides(_ shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            s[i] = acc
            acc *= shape[i]
        }
        return s
    }

    /// The numpy broadcast of two shapes, or an error naming both; the result is checked
    /// with `validate` (a broadcast can be far larger than either operand).
    public static func broadcast(_ a: [Int], _ b: [Int], op: String) throws(TensorError) -> [Int] {
        let n = max(a.count, b.count)
        var out = [Int](repeating: 1, count: n)
        for i in 0..<n {
            let da = i < n - a.count ? 1 : a[i - (n - a.count)]
            let db = i < n - b.count ? 1 : b[i - (n - b.count)]
            if da == db || db == 1 { out[i] = da }
            else if da == 1 { out[i] = db }
            else {
                throw TensorError(op, "shapes \(shapeString(a)) and \(shapeString(b)) cannot be broadcast together")
            }
        }
        _ = try validate(out, op: op)
        return out
    }

    /// Strides of `shape` seen as broadcast to `target` (0 along broadcast dimensions).
    public static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let s = strides(shape)
        let offset = target.count - shape.count
        var out = [Int](repeating: 0, count: target.count)
        for i in 0..<shape.count where shape[i] != 1 || target[i + offset] == 1 {
            out[i + offset] = shape[i] == 1 ? 0 : s[i]
        }
        return out
    }

    /// Normalises a possibly negative axis against `rank`.
    public static func axis(_ axis: Int, rank: Int, op: String) throws(TensorError) -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0 && a < rank else {
            throw TensorError(op, "axis \(axis) is out of range for a tensor of rank \(rank)")
        }
        return a
    }

    /// Normalises a list of axes (nil = all axes), sorted and without duplicates.
    public static func axes(_ axes: [Int]?, rank: Int, op: String) throws(TensorError) -> [Int] {
        guard let axes else { return Array(0..<rank) }
        var out: [Int] = []
        for a in axes {
            let n = try axis(a, rank: rank, op: op)
            guard !out.contains(n) else { throw TensorError(op, "axis \(a) given twice") }
            out.append(n)
        }
        return out.sorted()
    }
}
