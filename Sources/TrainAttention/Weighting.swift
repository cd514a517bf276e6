import Foundation
import NN
import TensorCore

/// A batch of documents as a weighting policy sees it.
public struct DocumentBatch {
    /// The next-token training batch of the documents.
    public var batch: TokenBatch
    /// [B, T]: 1 where the target token is one of the fact's object tokens (for the oracle).
    public var objectMask: Tensor?

    public init(batch: TokenBatch, objectMask: Tensor? = nil) {
        self.batch = batch
        self.objectMask = objectMask
    }
}

/// How much each document token counts in the base model's loss: the one thing the CKL
/// methods Finetune, Oracle, RHO-1 and TAALM differ in.
public protocol TokenWeighting: AnyObject {
    /// The method's name in result tables ("uniform", "oracle", "rho-1", "taalm").
    var name: String { get }
    /// Weights [B, T] for the batch's targets, given the model's current parameters.
    /// Padding positions may hold anything: the weighted loss masks them.
    func weights(_ docs: DocumentBatch, model: LanguageModel, params: ParameterSet) throws(NNError) -> Tensor
}

/// Plain fine-tuning: every token counts the same (w = 1).
public final class UniformWeighting: TokenWeighting {
    public init() {}
    public var name: String { "uniform" }
    public func weights(_ docs: DocumentBatch, model: LanguageModel, params: ParameterSet) throws(NNError) -> Tensor {
        docs.batch.mask
    }
}

/// The oracle: 1 on the tokens of the fact's object inside the document, 0 elsewhere.
public final class OracleWeighting: TokenWeighting {
    public init() {}
    public var name: String { "oracle" }
    public func weights(_ docs: DocumentBatch, model: LanguageModel, params: ParameterSet) throws(NNError) -> Tensor {
        guard let m = docs.objectMask else {
            throw .invalidInput("the oracle weighting needs the object tokens of each document (an object mask)")
        }
        guard m.shape == docs.batch.mask.shape else {
            throw .invalidInput("object mask of shape \(shapeString(m.shape)) does not match the batch \(shapeString(docs.batch.mask.shape))")
        }
        return try nn { try mul(m, docs.batch.mask) }
    }
}

/// RHO-1 (Lin et al. 2024) as PAPER.md specifies it for CKL: score each real token by its excess score
/// p_current(x_i) − p_reference(x_i) (probabilities of the token under the current model and
/// under the reference = the run's starting weights) and train only on the top
/// `keepFraction` of each document's real tokens (ceil(keep · n), ties broken by position,
/// earliest first).
///
/// High score = the token the current model has gained the most on since the start: the
/// tokens being learned. (Ranking by the excess *loss* ℓ_current − ℓ_reference instead
/// selects the tokens the model is getting worse at — the opposite set — which with the
/// starting model as reference turns RHO-1 into rehearsal of what is being forgotten.)
/// At the first step current = reference, every score is 0 and the tie-break keeps the
/// first tokens; the selection starts to mean something once the model has moved.
public final class Rho1Weighting: TokenWeighting {
    public let reference: ParameterSet
    public let keepFraction: Double

    /// The default share of tokens kept: 0.6. Measured in CKL runs (seed 7, the preset's
    /// schedule): keeping 0.1/0.2/0.4/0.6/0.8 gave Top Acc 0.04/0.09/0.27/0.28/0.26 with
    /// NOT-TO-FORGET 0.63/0.75/0.59/0.71/0.79 on `tiny`; on `small` 0.4/0.6/0.8 gave
    /// 0.319/0.314/0.301 with 0.531/0.571/0.623. Fewer tokens concentrate the normalised loss
    /// and forget more with no gain in learning; 0.6 learns as much as 0.4 and keeps more.
    public static let defaultKeepFraction = 0.6

    public init(reference: ParameterSet, keepFraction: Double = Rho1Weighting.defaultKeepFraction) throws(NNError) {
        guard keepFraction > 0, keepFraction <= 1 else {
            throw .invalidConfig("RHO-1 keeps a fraction in (0, 1] of the tokens, got \(keepFraction)")
        }
        self.reference = reference.detached()
        self.keepFraction = keepFraction
    }

    public var name: String { "rho-1" }

    public func weights(_ docs: DocumentBatch, model: LanguageModel, params: ParameterSet) throws(NNError) -> Tensor {
        let b = docs.batch.batchSize, t = docs.batch.length
        // The reference replaces the parameters it has (LoRA factors or adapters added since stay current).
        let refParams = try params.applying(reference.filter { params.contains($0) })
        let (current, ref) = try nn {
            try Autodiff.withoutGrad {
                (try model.tokenLosses(params: params, batch: docs.batch), try model.tokenLosses(params: refParams, batch: docs.batch))
            }
        }
        let c = current.scalars, r = ref.scalars
        let scores = (0..<(b * t)).map { Foundation.exp(-Double(c[$0])) - Foundation.exp(-Double(r[$0])) }
        return try Self.topFraction(scores: scores, mask: docs.batch.mask.scalars, rows: b, cols: t, keep: keepFraction)
    }

    /// 1 on the ceil(keep · n_real) highest-scoring real tokens of each row (earliest on ties), 0 elsewhere.
    static func topFraction(scores: [Double], mask: [Float], rows: Int, cols: Int, keep: Double) throws(NNError) -> Tensor {
        var out = [Float](repeating: 0, count: rows * cols)
        for row in 0..<rows {
            let real = (0..<cols).filter { mask[row * cols + $0] != 0 }
            let k = Int((Double(real.count) * keep).rounded(.up))
            let ranked = real.sorted { a, c in
                let sa = scores[row * cols + a], sc = scores[row * cols + c]
                return sa != sc ? sa > sc : a < c
            }
            for j in ranked.prefix(k) { out[row * cols + j] = 1 }
        }
        return try nn { try Tensor(shape: [rows, cols], values: out) }
    }
}

/// TAALM: a (frozen) Train-Attention model gives the weights.
///
/// φ is causal and reads each document on its own, so a document's weights depend on its
/// tokens and φ's parameters — and, in the last bits, on the padded length of the batch
/// they are computed in (row kernels split a row into 16-wide blocks and a tail). They
/// are computed with the batch in which the document first appears (the documents not
/// seen yet, padded to the longest of them) and reused for every later batch and epoch;
/// a CKL run otherwise ran φ's forward pass on every step. The tour's, 05's and 08's runs
/// without rehearsal gave the same numbers bit for bit with and without the cache; with
/// Mix-review, whose rehearsal rows join batches of already-seen documents, they moved in
/// the last bits (and 08's TAALM + Mix-review row with them). The cache is dropped when
/// φ's parameters are replaced.
public final class TrainAttentionWeighting: TokenWeighting {
    public let model: TrainAttentionModel
    /// Each seen document's weights, keyed by its tokens (the first input, then its real targets).
    private var cache: [[Int32]: [Float]] = [:]
    /// The parameter tensors the cache was computed with.
    private var cachedWith: [Tensor] = []

    public init(_ model: TrainAttentionModel) { self.model = model }
    public var name: String { "taalm" }

    /// Documents whose weights are cached (for tests and diagnostics).
    public var cachedDocuments: Int { cache.count }

    public func weights(_ docs: DocumentBatch, model lm: LanguageModel, params: ParameterSet) throws(NNError) -> Tensor {
        let batch = docs.batch
        let b = batch.batchSize, t = batch.length
        let current = model.params.tensors
        if current.count != cachedWith.count || !zip(current, cachedWith).allSatisfy({ $0 === $1 }) {
            cache = [:]
            cachedWith = current
        }
        let inputs = batch.inputs.values, targets = batch.targets.values
        let keys: [[Int32]] = (0..<b).map { r in
            [inputs[r * t]] + Array(targets[(r * t)..<(r * t + batch.lengths[r])])
        }
        var missing: [[Int32]] = []
        for key in keys where cache[key] == nil && !missing.contains(key) {
            if key.count < 2 { cache[key] = [] } else { missing.append(key) }  // no targets, no weights
        }
        if !missing.isEmpty {
            let sub = try TokenBatch(sequences: missing.map { $0.map(Int.init) }, padId: 0, maxLength: t)
            let w = try nn { try Autodiff.withoutGrad { try model.weights(batch: sub) } }.scalars
            for (i, key) in missing.enumerated() {
                cache[key] = Array(w[(i * t)..<(i * t + key.count - 1)])
            }
        }
        var out = [Float](repeating: 0, count: b * t)
        for (r, key) in keys.enumerated() {
            guard let row = cache[key] else { continue }
            for (j, v) in row.enumerated() { out[r * t + j] = v }
        }
        return try nn { try Tensor(shape: [b, t], values: out) }
    }
}
