import Foundation
import NN

/// Task sentences with the positions of their scored object tokens: a test set.
public struct TaskSet: Sendable {
    public let sequences: [[Int]]
    public let spans: [Range<Int>]

    public init(sequences: [[Int]], spans: [Range<Int>]) {
        self.sequences = sequences
        self.spans = spans
    }

    public init(_ units: [EncodedUnit]) {
        self.init(sequences: units.map(\.task), spans: units.map(\.taskObject))
    }

    public var count: Int { sequences.count }
    public var isEmpty: Bool { sequences.isEmpty }
}

/// The two numbers the protocols measure on a task set.
public enum TaskMetrics {
    /// Teacher-forced argmax accuracy over each sentence's object tokens, averaged over
    /// sentences (the LAMA-ckl metric). Batched, no graph. An empty set scores 0.
    public static func accuracy(_ lm: LanguageModel, _ set: TaskSet, batchSize: Int = 64) throws(CKLError) -> Double {
        guard !set.isEmpty else { return 0 }
        let acc = try model { () throws(NNError) in try lm.spanAccuracy(set.sequences, spans: set.spans, batchSize: batchSize) }
        return acc.reduce(0, +) / Double(acc.count)
    }

    /// Mean negative log-likelihood of each sentence's object tokens, averaged over
    /// sentences (the TemporalWiki metric). An empty set scores NaN.
    public static func objectNLL(_ lm: LanguageModel, _ set: TaskSet, batchSize: Int = 64) throws(CKLError) -> Double {
        guard !set.isEmpty else { return .nan }
        let scores = try model { () throws(NNError) in try lm.score(set.sequences, batchSize: batchSize) }
        var total = 0.0
        for (sc, span) in zip(scores, set.spans) {
            let nll = span.map { Double(sc.nll[$0 - 1]) }
            total += nll.reduce(0, +) / Double(Swift.max(nll.count, 1))
        }
        return total / Double(set.count)
    }
}
