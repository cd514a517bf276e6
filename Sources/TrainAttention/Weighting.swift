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

    /// Reference token losses of each seen document (see `referenceLosses`).
    private var referenceCache = DocumentRowCache()

    public func weights(_ docs: DocumentBatch, model: LanguageModel, params: ParameterSet) throws(NNError) -> Tensor {
        let b = docs.batch.batchSize, t = docs.batch.length
        let current = try nn { try Autodiff.withoutGrad { try model.tokenLosses(params: params, batch: docs.batch) } }
        let c = current.scalars, r = try referenceLosses(docs.batch, model: model, params: params)
        let scores = (0..<(b * t)).map { Foundation.exp(-Double(c[$0])) - Foundation.exp(-Double(r[$0])) }
        return try Self.topFraction(scores: scores, mask: docs.batch.mask.scalars, rows: b, cols: t, keep: keepFraction)
    }

    /// The reference model's token losses [B·T]. The reference replaces the parameters it
    /// has (LoRA factors or adapters added since stay current). When it covers every
    /// parameter, it never changes during a run, so each document's losses are computed
    /// once, with the batch it first appears in, and reused (RHO-1 otherwise ran this
    /// forward pass on every step).
    func referenceLosses(_ batch: TokenBatch, model: LanguageModel, params: ParameterSet) throws(NNError) -> [Float] {
        let reference = reference
        let fixed = params.paths.allSatisfy { reference.contains($0) }
        // The reference parameter set is built only when something is computed (with the
        // cache, rarely after the first epoch).
        let compute: (TokenBatch) throws(NNError) -> Tensor = { sub throws(NNError) in
            let refParams = try params.applying(reference.filter { params.contains($0) })
            return try nn { try Autodiff.withoutGrad { try model.tokenLosses(params: refParams, batch: sub) } }
        }
        guard fixed else { return try compute(batch).scalars }
        return try referenceCache.rows(for: batch, version: reference.tensors, compute: compute)
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
/// φ is causal and reads each document on its own, so a document's weights depend only on
/// its tokens and φ's parameters: they are computed the first time the document is seen
/// and reused for every later batch and epoch (`DocumentRowCache`; a CKL run otherwise ran
/// φ's forward pass on every step). The tour's, 05's and 08's runs, Mix-review included,
/// give the same numbers bit for bit with and without the cache. The cache is dropped
/// when φ's parameters are replaced.
public final class TrainAttentionWeighting: TokenWeighting {
    public let model: TrainAttentionModel
    private var cache = DocumentRowCache()

    public init(_ model: TrainAttentionModel) { self.model = model }
    public var name: String { "taalm" }

    /// Documents whose weights are cached (for tests and diagnostics).
    public var cachedDocuments: Int { cache.count }

    public func weights(_ docs: DocumentBatch, model lm: LanguageModel, params: ParameterSet) throws(NNError) -> Tensor {
        let batch = docs.batch
        let rows = try cache.rows(for: batch, version: model.params.tensors) { sub throws(NNError) in
            try nn { try Autodiff.withoutGrad { try model.weights(batch: sub) } }
        }
        return try nn { try Tensor(shape: [batch.batchSize, batch.length], values: rows) }
    }
}

/// Per-document rows of a function of a batch that reads each document on its own (a
/// causal model's per-token output), computed once per document: `rows(for:)` computes
/// the documents of the batch it has not seen (as one batch, padded to the longest of
/// them), keeps each one's row of real positions, and returns the batch's [B·T] values
/// (0 on padding). The rows are dropped when `version` (the tensors the function reads)
/// changes.
struct DocumentRowCache {
    /// Each seen document's values, keyed by its tokens (the first input, then its real targets).
    private var rows: [[Int32]: [Float]] = [:]
    private var version: [Tensor] = []

    var count: Int { rows.count }

    mutating func rows(for batch: TokenBatch, version current: [Tensor],
                       compute: (TokenBatch) throws(NNError) -> Tensor) throws(NNError) -> [Float] {
        if current.count != version.count || !zip(current, version).allSatisfy({ $0 === $1 }) {
            rows = [:]
            version = current
        }
        let b = batch.batchSize, t = batch.length
        let inputs = batch.inputs.values, targets = batch.targets.values
        let keys: [[Int32]] = (0..<b).map { r in
            [inputs[r * t]] + Array(targets[(r * t)..<(r * t + batch.lengths[r])])
        }
        var missing: [[Int32]] = []
        for key in keys where rows[key] == nil && !missing.contains(key) {
            if key.count < 2 { rows[key] = [] } else { missing.append(key) }  // no targets, no values
        }
        if !missing.isEmpty {
            let sub = try TokenBatch(sequences: missing.map { $0.map(Int.init) }, padId: 0, maxLength: t)
            let values = try compute(sub).scalars
            let width = sub.length
            for (i, key) in missing.enumerated() {
                rows[key] = Array(values[(i * width)..<(i * width + key.count - 1)])
            }
        }
        var out = [Float](repeating: 0, count: b * t)
        for (r, key) in keys.enumerated() {
            guard let row = rows[key] else { continue }
            for (j, v) in row.enumerated() { out[r * t + j] = v }
        }
        return out
    }
}
