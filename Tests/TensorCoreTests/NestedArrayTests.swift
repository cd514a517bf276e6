import Testing
import TensorCore

/// `Tensor(nested:)`: shapes from the nesting, row-major values, ragged input refused.
@Suite struct NestedArrayTests {
    @Test func shapesAndValuesFollowTheNesting() throws {
        let m = try Tensor(nested: [[1, 2, 3], [4, 5, 6]])
        #expect(m.shape == [2, 3])
        #expect(m.scalars == [1, 2, 3, 4, 5, 6])
        #expect(try m.element(at: [1, 0]) == 4)
        let cube = try Tensor(nested: [[[1.5, 2]], [[3, 4]], [[5, 6]]])
        #expect(cube.shape == [3, 1, 2])
        #expect(cube.scalars == [1.5, 2, 3, 4, 5, 6])
        let floats: [[Float]] = [[0.25], [-1]]
        #expect(try Tensor(nested: floats).shape == [2, 1])
        #expect(try Tensor(nested: [7, 8]).scalars == [7, 8])
        let s = try Tensor(nested: 2.5)
        #expect(s.shape == [])
        #expect(try s.item() == 2.5)
    }

    @Test func emptyLevelsKeepTheTypesRank() throws {
        #expect(try Tensor(nested: [[Float]]()).shape == [0, 0])
        #expect(try Tensor(nested: [[Float]](repeating: [], count: 2)).shape == [2, 0])
        #expect(try Tensor(nested: [[[Int]]]([[], []])).shape == [2, 0, 0])
    }

    @Test func raggedInputIsAnErrorNamingTheRow() {
        #expect(throws: TensorError("tensor", "ragged nested array: [1] has shape [3] but [0] has shape [2]")) {
            try Tensor(nested: [[1, 2], [3, 4, 5]])
        }
        #expect(throws: TensorError("tensor", "ragged nested array: [1] has shape [0] but [0] has shape [1]")) {
            try Tensor(nested: [[1], []])
        }
        #expect(throws: TensorError("tensor", "ragged nested array: [0, 1] has shape [1] but [0, 0] has shape [2]")) {
            try Tensor(nested: [[[1, 2], [3]], [[4, 5], [6, 7]]])
        }
        #expect(throws: TensorError("tensor", "ragged nested array: [1] has shape [1, 2] but [0] has shape [2, 1]")) {
            try Tensor(nested: [[[1], [2]], [[3, 4]]])
        }
    }
}
