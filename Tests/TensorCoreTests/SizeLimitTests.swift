import Testing
@testable import TensorCore

/// Every op whose output can be larger than its inputs checks the output shape and
/// refuses one above `Shape.maxElements` with the usual error naming the op, instead of
/// failing to allocate. The cap is process-wide and the Runtime's tests, running in
/// parallel, lower it to 2^28; the shapes here are above both caps, the inputs small, and
/// only the part of the message before the limit's value is compared.
@Suite struct SizeLimitTests {
    /// Expects `body` to fail with `op`'s error whose message starts with `prefix` and goes
    /// on with the current limit.
    static func expectRefusal(_ op: String, _ prefix: String, sourceLocation: SourceLocation = #_sourceLocation,
                              _ body: () throws -> Any) {
        do {
            _ = try body()
            Issue.record("expected \(op) to refuse", sourceLocation: sourceLocation)
        } catch let e as TensorError {
            #expect(e.op == op, sourceLocation: sourceLocation)
            #expect(e.message.hasPrefix(prefix + ", above the limit of "), "\(e.message)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    /// The size-check error for `shape`.
    static func expectTooMany(_ op: String, _ shape: [Int], sourceLocation: SourceLocation = #_sourceLocation,
                              _ body: () throws -> Any) {
        expectRefusal(op, "shape \(shapeString(shape)) has \(shape.reduce(1, *)) elements", sourceLocation: sourceLocation, body)
    }

    @Test func broadcastingBinaryOpsAndComparisons() throws {
        let column = try Tensor.zeros([1 << 20, 1]), row = try Tensor.zeros([1 << 20])
        let big = [1 << 20, 1 << 20]
        for k in BinaryKind.allCases {
            Self.expectTooMany(k.rawValue, big) { try binary(k, column, row) }
            Self.expectTooMany(k.rawValue, big) { try binary(k, row, column) }
        }
        for k in CompareKind.allCases {
            Self.expectTooMany(k.rawValue, big) { try compare(k, column, row) }
        }
        Self.expectTooMany("where", big) { try select(column, row, Tensor.scalar(0)) }
        Self.expectTooMany("where", big) { try select(Tensor.scalar(1), column, row) }
        Self.expectTooMany("expand", [65536, 65536]) { try expand(Tensor([1]), [65536, 65536]) }
        // Within the cap the same broadcast still works.
        #expect(try add(Tensor.zeros([3, 1]), Tensor([1, 2])).scalars == [1, 2, 1, 2, 1, 2])
    }

    @Test func indexOps() throws {
        let table = try Tensor.zeros([2, 1 << 20])
        let ids = try IndexTensor(shape: [4096], values: [Int32](repeating: 1, count: 4096))
        Self.expectTooMany("gather", [4096, 1 << 20]) { try gather(table, ids) }
        let pair = try IndexTensor([0, 1])
        Self.expectTooMany("scatter_add", [1 << 40, 3]) { try scatterAdd(Tensor.zeros([2, 3]), pair, rows: 1 << 40) }
        Self.expectTooMany("put_last", [2, 1 << 40]) { try putLast(Tensor.zeros([2]), pair, classes: 1 << 40) }
    }

    @Test func matmulNamesItselfForABroadcastOperand() throws {
        // The output [2, 1024, 1024, 1] fits, but A broadcast over the batch [2, 1024]
        // would hold 2^32 elements.
        let a = try Tensor.zeros([2, 1, 1024, 2048]), b = try Tensor.zeros([1, 1024, 2048, 1])
        Self.expectTooMany("matmul", [2, 1024, 1024, 2048]) { try matmul(a, b) }
    }

    @Test func concatAndPad() throws {
        // Inputs above the cap in total cannot be allocated here, so the shape rule is
        // checked on its own.
        let cat = ConcatPrim(axis: 0)
        Self.expectTooMany("concat", [3 << 30]) { try cat.outputShape([[1 << 30], [1 << 30], [1 << 30]]) }
        #expect(throws: TensorError("concat", "the joined axis 0 has too many elements")) { try cat.outputShape([[Int.max], [1]]) }
        #expect(try cat.outputShape([[2, 3], [4, 3]]) == [6, 3])
        Self.expectTooMany("pad", [1 << 40]) { try apply(PadPrim(axis: 0, start: 0, step: 1, size: 1 << 40), [Tensor([1])]) }
        // The last position start + (len − 1)·step would overflow: an error, not a wrap.
        #expect(throws: TensorError("pad", "2 elements from 0 (step \(Int.max)) do not fit an axis of 10")) {
            try apply(PadPrim(axis: 0, start: 0, step: Int.max, size: 10), [Tensor([1, 2])])
        }
    }

    @Test func arangeNamesItselfAndTheRealCount() throws {
        Self.expectTooMany("arange", [3_000_000_000]) { _ = try Tensor.arange(0, 3e9) }
        Self.expectTooMany("arange", [1_000_000_000_000]) { _ = try Tensor.arange(0, 1, step: 1e-12) }
        Self.expectRefusal("arange", "0.0..<1e+300 in steps of 1e-300 has about inf elements") {
            _ = try Tensor.arange(0, 1e300, step: 1e-300)
        }
        Self.expectRefusal("arange", "-1e+300..<1e+300 in steps of 1.0 has about 2e+300 elements") {
            _ = try Tensor.arange(-1e300, 1e300)
        }
        #expect(try Tensor.arange(3, 1).shape == [0])
        #expect(try Tensor.arange(0, 1, step: 0.3).scalars == [0, 0.3, 0.6, 0.9])
    }

    @Test func reshapeWithAnInferredAxisDoesNotOverflow() throws {
        let x = try Tensor.zeros([4])
        #expect(throws: TensorError("reshape", "cannot reshape [4] to [-1, \(Int.max), 2]")) { try reshape(x, [-1, Int.max, 2]) }
        #expect(throws: TensorError("reshape", "cannot reshape [4] to [-1, -1]")) { try reshape(x, [-1, -1]) }
        #expect(try reshape(x, [2, -1]).shape == [2, 2])
    }
}
