import NN
import TensorCore

/// One META unit for training Train-Attention: a document that holds a fact, and a task
/// sentence whose object the document should teach, all as token ids.
public struct MetaExample: Sendable {
    /// The evidence document's tokens.
    public var document: [Int]
    /// Token positions of the object's occurrences inside the document (the oracle).
    public var documentObject: [Range<Int>]
    /// The task sentence's tokens (e.g. "S plays for O .").
    public var task: [Int]
    /// Token positions of the object in the task sentence (its last occurrence).
    public var taskObject: Range<Int>

    public init(document: [Int], documentObject: [Range<Int>], task: [Int], taskObject: Range<Int>) throws(NNError) {
        guard document.count >= 2 else { throw .invalidInput("a META document needs at least 2 tokens") }
        guard taskObject.lowerBound >= 1, taskObject.upperBound <= task.count, !taskObject.isEmpty else {
            throw .invalidInput("the task object span \(taskObject) must be non-empty, start at ≥ 1 and end within the task's \(task.count) tokens")
        }
        for r in documentObject where r.lowerBound < 0 || r.upperBound > document.count {
            throw .invalidInput("an object span \(r) lies outside the document's \(document.count) tokens")
        }
        self.document = document
        self.documentObject = documentObject
        self.task = task
        self.taskObject = taskObject
    }

    /// From per-token object flags of the document (true where a token belongs to the object).
    public init(document: [Int], objectTokens: [Bool], task: [Int], taskObject: Range<Int>) throws(NNError) {
        guard objectTokens.count == document.count else {
            throw .invalidInput("\(objectTokens.count) object flags for a document of \(document.count) tokens")
        }
        var ranges: [Range<Int>] = []
        var start: Int? = nil
        for (i, flag) in objectTokens.enumerated() {
            if flag, start == nil { start = i }
            if !flag, let s = start { ranges.append(s..<i); start = nil }
        }
        if let s = start { ranges.append(s..<objectTokens.count) }
        try self.init(document: document, documentObject: ranges, task: task, taskObject: taskObject)
    }

    /// The document as a one-row training batch.
    func documentBatch(padId: Int, context: Int) throws(NNError) -> TokenBatch {
        try TokenBatch(sequences: [Array(document.prefix(context + 1))], padId: padId, maxLength: context)
    }

    /// The task as a one-row batch, and the mask [1, T] of its object targets.
    func taskBatch(padId: Int, context: Int) throws(NNError) -> (TokenBatch, Tensor) {
        let seq = Array(task.prefix(context + 1))
        let batch = try TokenBatch(sequences: [seq], padId: padId, maxLength: context)
        // Target t predicts token t+1: the object's tokens are targets lowerBound-1 ..< upperBound-1.
        var m = [Float](repeating: 0, count: batch.length)
        for pos in taskObject where pos - 1 < batch.length { m[pos - 1] = 1 }
        return (batch, try nn { try Tensor(shape: [1, batch.length], values: m) })
    }

    /// [1, T] mask of the document targets that are object tokens.
    func objectMask(length: Int) throws(NNError) -> Tensor {
        var m = [Float](repeating: 0, count: length)
        for r in documentObject { for pos in r where pos >= 1 && pos - 1 < length { m[pos - 1] = 1 } }
        return try nn { try Tensor(shape: [1, length], values: m) }
    }
}
