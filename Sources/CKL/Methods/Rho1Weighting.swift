import Foundation
import NN
import TensorCore
import TrainAttention

/// RHO-1 as PAPER.md specifies it for CKL: score each real token by its excess score
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
public final class ExcessProbabilityWeighting: TokenWeighting {
    public let reference: ParameterSet
    public let keepFraction: Double

    public init(reference: ParameterSet, keepFraction: Double = 0.4) throws(CKLError) {
        guard keepFraction > 0, keepFraction <= 1 else {
            throw .invalidConfiguration("RHO-1 keeps a fraction in (0, 1] of the tokens, got \(keepFraction)")
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
