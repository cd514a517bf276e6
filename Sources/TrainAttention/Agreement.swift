import NN
import TensorCore

/// How φ's weights relate to the oracle (the object's tokens) over a set of documents:
/// the share of weight on object tokens, and precision/recall of the top-k weighted tokens.
public struct Agreement: Sendable, CustomStringConvertible {
    /// Mean over documents of Σ w(object tokens) / Σ w(all tokens).
    public var objectShare: Double
    /// Mean precision of the k highest-weighted tokens against the object tokens
    /// (k = the document's number of object tokens unless given).
    public var precisionAtK: Double
    /// Mean recall of those k tokens.
    public var recallAtK: Double
    /// Documents measured.
    public var documents: Int

    public var description: String {
        "object share \(fmt(objectShare)), precision@k \(fmt(precisionAtK)), recall@k \(fmt(recallAtK)) over \(documents) documents"
    }

    /// Measures `weights` (one list per document, over its targets) against object masks.
    public static func measure(weights: [[Float]], objects: [[Bool]], k: Int? = nil) -> Agreement {
        var share = 0.0, precision = 0.0, recall = 0.0, n = 0
        for (w, obj) in zip(weights, objects) where !w.isEmpty && w.count == obj.count {
            let objectCount = obj.filter { $0 }.count
            guard objectCount > 0 else { continue }
            let total = w.reduce(0.0) { $0 + Double($1) }
            let onObject = zip(w, obj).reduce(0.0) { $0 + ($1.1 ? Double($1.0) : 0) }
            share += total > 0 ? onObject / total : 0
            let kk = max(1, min(k ?? objectCount, w.count))
            let hits = expectedHits(w, obj, k: kk)
            precision += hits / Double(kk)
            recall += hits / Double(objectCount)
            n += 1
        }
        let d = Double(max(n, 1))
        return Agreement(objectShare: share / d, precisionAtK: precision / d, recallAtK: recall / d, documents: n)
    }

    /// Object tokens among the k highest weights, ties at the k-th weight shared out evenly
    /// (the expected count under a random tie-break): a saturated φ that gives 1.0 to the
    /// relation word and the object alike scores half, not 0 or 1 by token order.
    static func expectedHits(_ w: [Float], _ obj: [Bool], k: Int) -> Double {
        let sorted = w.sorted(by: >)
        let threshold = sorted[k - 1]
        var above = 0, hitsAbove = 0, tied = 0, hitsTied = 0
        for (v, o) in zip(w, obj) {
            if v > threshold { above += 1; if o { hitsAbove += 1 } } else if v == threshold { tied += 1; if o { hitsTied += 1 } }
        }
        let slots = k - above
        return Double(hitsAbove) + (tied > 0 ? Double(slots) * Double(hitsTied) / Double(tied) : 0)
    }
}

func fmt(_ x: Double) -> String { String(format: "%.3f", x) }

extension TrainAttentionModel {
    /// φ's weights for each example's document (real targets only).
    public func documentWeights(_ examples: [MetaExample], padId: Int = 0) throws(NNError) -> [[Float]] {
        var out: [[Float]] = []
        for ex in examples {
            let batch = try ex.documentBatch(padId: padId, context: config.context - 1)
            let w = try nn { try Autodiff.withoutGrad { try weights(batch: batch) } }
            out.append(Array(w.scalars.prefix(batch.lengths[0])))
        }
        return out
    }

    /// Agreement of φ's weights with the object tokens over `examples`.
    public func agreement(_ examples: [MetaExample], k: Int? = nil) throws(NNError) -> Agreement {
        let weights = try documentWeights(examples)
        let objects: [[Bool]] = try examples.enumerated().map { i, ex throws(NNError) in
            let mask = try ex.objectMask(length: weights[i].count)
            return mask.scalars.map { $0 != 0 }
        }
        return Agreement.measure(weights: weights, objects: objects, k: k)
    }
}
