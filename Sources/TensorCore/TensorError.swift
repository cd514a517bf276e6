/// An error from a tensor operation: which op failed and why, with the shapes involved.
///
/// Every shape or type mismatch, impossible size and out-of-range index reachable from a
/// caller surfaces as one of these; the core never traps on bad input.
public struct TensorError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The operation that failed, e.g. "matmul".
    public let op: String
    /// What went wrong, naming the shapes, e.g. "inner dimensions differ: [2, 3] @ [4, 5]".
    public let message: String

    public init(_ op: String, _ message: String) {
        self.op = op
        self.message = message
    }

    public var description: String { "\(op): \(message)" }
}

/// Formats a shape the way error messages and displays show it: `[2, 3]`.
@inlinable
public func shapeString(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ", ") + "]"
}
