import NN
import TensorCore
import TrainAttention

/// One training row: at most `context + 1` tokens of a document and, per target position
/// (token j+1 predicted from tokens ≤ j), whether that target is an object token.
public struct TrainingExample: Sendable, Hashable {
    public let ids: [Int]
    /// `ids.count − 1` entries: `targetIsObject[j]` is about `ids[j + 1]`.
    public let targetIsObject: [Bool]

    public init(ids: [Int], targetIsObject: [Bool]) {
        self.ids = ids
        self.targetIsObject = targetIsObject
    }

    /// The rows of a document: one row when it fits the context, else consecutive windows
    /// of `context + 1` tokens sharing one token (every next-token pair trained once, as
    /// `TokenBatch.windows` cuts them).
    public static func rows(_ doc: EncodedText, context: Int) -> [TrainingExample] {
        let ids = doc.ids
        guard ids.count >= 2 else { return [] }
        let windows = TokenBatch.windows(ids, context: context)
        var out: [TrainingExample] = []
        var start = 0
        for w in windows {
            let marks = (1..<w.count).map { doc.objectTokens[start + $0] }
            out.append(TrainingExample(ids: w, targetIsObject: marks))
            start += w.count - 1
        }
        return out
    }

    public static func rows(_ docs: [EncodedText], context: Int) -> [TrainingExample] {
        docs.flatMap { rows($0, context: context) }
    }
}

extension DocumentBatch {
    /// A padded batch of rows with its object mask [B, T] (1 where the target is an object token).
    public static func make(_ rows: [TrainingExample], context: Int) throws(CKLError) -> DocumentBatch {
        let batch = try model { () throws(NNError) in
            try TokenBatch(sequences: rows.map(\.ids), padId: SpecialToken.pad.id, maxLength: context)
        }
        let t = batch.length
        var m = [Float](repeating: 0, count: rows.count * t)
        for (r, row) in rows.enumerated() {
            for (j, isObject) in row.targetIsObject.enumerated() where isObject { m[r * t + j] = 1 }
        }
        let mask = try model { () throws(NNError) in try nn { try Tensor(shape: [rows.count, t], values: m) } }
        return DocumentBatch(batch: batch, objectMask: mask)
    }
}
