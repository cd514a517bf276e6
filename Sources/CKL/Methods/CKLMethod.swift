import NN
import TrainAttention

/// A CKL method as the paper composes them: a token-weighting policy, a training variant
/// (which parameters train), and optional regimes (Mix-review rehearsal, RecAdam pull).
///
///     CKLMethod.named("finetune")            // uniform weights, full fine-tuning
///     CKLMethod.named("oracle+mix-review")   // oracle weights on top of rehearsal
///     CKLMethod(weighting: .policy(TrainAttentionWeighting(phi)), variant: .adapters())  // TAALM + K-Adapter
public struct CKLMethod {
    /// How much each document token counts (the weighted loss is NN's normalised `weightedLoss`).
    public enum Weighting {
        /// w = 1 on every token (Finetune).
        case uniform
        /// 1 on the tokens of the fact's object inside the document, 0 elsewhere.
        case oracle
        /// RHO-1: the top `keepFraction` of each document's tokens by excess probability over
        /// the starting model (`Rho1Weighting`).
        case rho1(keepFraction: Double)
        /// Any policy, e.g. `TrainAttentionWeighting` (TAALM).
        case policy(any TokenWeighting)

        public var name: String {
            switch self {
            case .uniform: return "Finetune"
            case .oracle: return "Oracle"
            case .rho1: return "RHO-1"
            case .policy(let p): return p.name == "taalm" ? "TAALM" : p.name
            }
        }
    }

    /// Which parameters train.
    public enum Variant: Hashable, Sendable {
        /// Every parameter of the base.
        case full
        /// LoRA factors of the given rank on the linear layers matching `targets` (nil =
        /// every attention and MLP projection); the base is frozen.
        case lora(rank: Int = 16, alpha: Double? = nil, targets: [String]? = nil)
        /// K-Adapter blocks reading the base blocks `layers` (nil = first and last), of width
        /// `dim` (nil = half the model's width), their output joining the final hidden state as
        /// `output` says (nil = `CKLMethod.defaultAdapterOutput`); the base is frozen.
        case adapters(layers: [Int]? = nil, dim: Int? = nil, heads: Int? = nil, output: AdapterOutput? = nil)

        public var name: String? {
            switch self {
            case .full: return nil
            case .lora: return "LoRA"
            case .adapters: return "K-Adapter"
            }
        }

        /// The learning rate `ckl()` trains this variant with unless one is given: nil for full
        /// fine-tuning (the preset's rate), 1e-2 for LoRA and K-Adapter — the rate at which
        /// they learned most, measured on the generated worlds (seed 7, the preset's schedule,
        /// lr 1e-3/3e-3/1e-2/3e-2): LoRA's Top Acc on `small` 0.209/0.274/0.324/0.040 (Finetune
        /// at its 1e-3: 0.337), K-Adapter's 0.026/0.116/0.240/0.148; on `tiny` (Finetune at 5e-4:
        /// 0.288) LoRA 0.067/0.146/0.258/0.063, K-Adapter 0.008/0.046/0.075/0.021. At full
        /// fine-tuning's rate LoRA learns less and K-Adapter hardly at all; the larger rate
        /// costs NOT-TO-FORGET accuracy (README, "CKL baselines"). TAALM + K-Adapter has its own
        /// rate (`CKLMethod.defaultLearningRate(preset:)`).
        public var defaultLearningRate: Double? {
            switch self {
            case .full: return nil
            case .lora, .adapters: return 1e-2
            }
        }
    }

    /// The learning rate `ckl()` trains this method with unless one is given, on a world of
    /// `preset` ("tiny", "small", "paper"; nil for the released LAMA-ckl units): the variant's
    /// (`Variant.defaultLearningRate`), except that TAALM + K-Adapter trains with
    /// `taalmAdapterLearningRate` outside the `tiny` preset (with the default `.preNorm` adapter
    /// output only: the rate works around that output's loss of retention).
    public func defaultLearningRate(preset: String?) -> Double? {
        if preset != "tiny", case .adapters(_, _, _, let output) = variant, (output ?? Self.defaultAdapterOutput) == .preNorm,
           case .policy(let p) = weighting, p.name == "taalm" {
            return Self.taalmAdapterLearningRate
        }
        return variant.defaultLearningRate
    }

    /// TAALM + K-Adapter's learning rate: 5e-3, half of K-Adapter's 1e-2. The weighted loss is
    /// normalised by Σw, so φ's weights, concentrated on the object's tokens, make the step on
    /// those tokens several times larger than uniform weighting's, and the adapters' output is
    /// added to every input: at 1e-2 the combination wrecks NOT-TO-FORGET (3-seed study: Top
    /// 0.193, NF 0.110, Total 0.303 against K-Adapter's 0.233 / 0.458 / 0.691).
    ///
    /// Sweep on `small` with φ meta-trained as in examples/08_taalm_study.taalm (world, base, φ
    /// and run seed s), Top / NF / Total at lr 1e-3, 2e-3, 3e-3, 4e-3, 5e-3, 7e-3, 1e-2:
    /// - seed 1: 0.046/0.627/0.672, 0.147/0.472/0.619, 0.191/0.244/0.436, 0.198/0.233/0.431,
    ///   0.263/0.174/0.438, 0.311/0.126/0.437, 0.207/0.122/0.329 (K-Adapter: 0.253/0.390/0.643);
    /// - seed 2: 0.042/0.601/0.643, 0.111/0.396/0.507, 0.198/0.222/0.420, 0.263/0.250/0.513,
    ///   0.309/0.224/0.533, 0.337/0.188/0.524, 0.331/0.132/0.463 (K-Adapter: 0.211/0.473/0.684).
    ///
    /// 5e-3 has the highest Total Knowledge among the rates that learn at least as much as
    /// K-Adapter alone, on both seeds (7e-3 is within 0.01 of it, with more Top and less NF);
    /// lower rates learn less than K-Adapter (all but 4e-3 on seed 2), and only 1e-3 (both
    /// seeds) and 2e-3 (seed 1) reach a higher Total, by learning little. No rate brings the
    /// combination's Total up to K-Adapter's: its retention, not only its step size, is the
    /// problem. On `tiny` (75 steps; K-Adapter alone learns almost nothing there: Top 0.037)
    /// 5e-3 learned less than 1e-2 on seeds 1 and 2 (Top 0.033 / 0.071 vs 0.108 / 0.113) for a
    /// lower Total (0.825 / 0.825 vs 0.838 / 0.871), so `tiny` keeps K-Adapter's 1e-2.
    public static let taalmAdapterLearningRate = 5e-3

    /// How K-Adapter's output joins the final hidden state unless a variant says otherwise:
    /// RMS-normalised, times a learned gain that starts at zero, added after the final norm
    /// (`.normalized(scale: 1)`), as the CKL literature's K-Adapter normalises its output and
    /// adds it after the final norm (Jang et al. 2022 also multiply by 0.1, with a gain that
    /// starts at one).
    ///
    /// The old `.preNorm` output (added, unbounded, before the final norm) is what made TAALM +
    /// K-Adapter forget: nothing bounds the adapters' output, so under φ's concentrated weights
    /// it outgrew the base's hidden state within a few steps of the warm-up (seed 1 of the small
    /// world, lr 5e-3: |adapter| / |base| on the NOT-TO-FORGET sentences 0.05 after epoch 1, 5.2
    /// after epoch 2, when NF Acc fell 0.981 → 0.176; with the oracle's weights 231× at the end),
    /// and the final norm then scaled the base's state down on every input: after epoch 2 the NLL
    /// of the tokens φ gives no weight rose 1.62 → 6.38 in the TO-LEARN documents and 0.99 → 5.60
    /// in the NOT-TO-FORGET sentences (uniform weights: 1.62 → 1.46; full fine-tuning with φ:
    /// 1.62 → 1.84). Normalised, the adapters' share can only grow through the gain, by at most
    /// lr per step per element whatever the loss, and the base's normalised state is never scaled
    /// down. 3-seed study (small, seeds 1–3, lr 1e-2 for both), Top / NF / Total:
    /// - K-Adapter: 0.216/0.479/0.694, 0.234/0.549/0.783, 0.194/0.592/0.787 (pre-norm: mean
    ///   0.233/0.458/0.691);
    /// - TAALM + K-Adapter: 0.380/0.508/0.888, 0.406/0.528/0.933, 0.386/0.461/0.847 (pre-norm at
    ///   its 5e-3: mean 0.273/0.204/0.476).
    /// The literature's scale 0.1 with a zero-start gain grows ten times slower and learns almost
    /// nothing in 30 epochs (Top 0.016–0.024, NF 0.97–0.99 for both, on the same seeds).
    public static let defaultAdapterOutput = AdapterOutput.normalized(scale: 1)

    public var weighting: Weighting
    public var variant: Variant
    public var mixReview: MixReviewConfig?
    public var recAdam: RecAdamConfig?
    /// The name in result tables; nil = derived ("Oracle + Mix-review", "K-Adapter", ...).
    public var label: String?

    public init(weighting: Weighting = .uniform, variant: Variant = .full, mixReview: MixReviewConfig? = nil,
                recAdam: RecAdamConfig? = nil, label: String? = nil) {
        self.weighting = weighting
        self.variant = variant
        self.mixReview = mixReview
        self.recAdam = recAdam
        self.label = label
    }

    /// The method's name as the paper writes it: the weighting (omitted when uniform and
    /// something else is named), then variant and regimes, joined by " + ".
    public var name: String {
        if let l = label { return l }
        var parts: [String] = []
        if case .uniform = weighting {} else { parts.append(weighting.name) }
        if let v = variant.name { parts.append(v) }
        if mixReview != nil { parts.append("Mix-review") }
        if recAdam != nil { parts.append("RecAdam") }
        return parts.isEmpty ? "Finetune" : parts.joined(separator: " + ")
    }

    /// The names `named(_:)` understands (combine them with "+").
    public static let componentNames = ["finetune", "uniform", "oracle", "rho-1", "lora", "k-adapter", "mix-review", "recadam"]

    /// A method from its name: components joined by "+", e.g. "finetune", "oracle",
    /// "rho-1", "lora", "k-adapter", "mix-review", "recadam", "oracle+mix-review".
    /// Defaults: RHO-1 keeps 60 %, LoRA rank 16, K-Adapter at the first and last layers,
    /// Mix-review and RecAdam with their default settings. "taalm" needs a trained
    /// Train-Attention model: pass `.policy(TrainAttentionWeighting(φ))` instead.
    public static func named(_ name: String) throws(CKLError) -> CKLMethod {
        var m = CKLMethod()
        var weightingSet = false
        let parts = name.lowercased().split(separator: "+").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.isEmpty, !parts.contains(where: \.isEmpty) else {
            throw .invalidConfiguration("empty method name (expected one of \(componentNames.joined(separator: ", ")), combined with +)")
        }
        func setWeighting(_ w: Weighting) throws(CKLError) {
            guard !weightingSet else { throw .invalidConfiguration("\"\(name)\" names two weightings; combine at most one of finetune, oracle, rho-1, taalm") }
            weightingSet = true
            m.weighting = w
        }
        for p in parts {
            switch p.replacingOccurrences(of: "_", with: "-") {
            case "finetune", "fine-tune", "uniform": try setWeighting(.uniform)
            case "oracle": try setWeighting(.oracle)
            case "rho-1", "rho1", "rho": try setWeighting(.rho1(keepFraction: Rho1Weighting.defaultKeepFraction))
            case "taalm", "train-attention":
                throw .invalidConfiguration("TAALM needs a trained Train-Attention model: pass it as the weighting instead of by name")
            case "lora":
                guard m.variant == .full else { throw .invalidConfiguration("\"\(name)\" names two training variants") }
                m.variant = .lora()
            case "k-adapter", "kadapter", "adapter", "adapters":
                guard m.variant == .full else { throw .invalidConfiguration("\"\(name)\" names two training variants") }
                m.variant = .adapters()
            case "mix-review", "mixreview": m.mixReview = MixReviewConfig()
            case "recadam", "rec-adam": m.recAdam = RecAdamConfig()
            default:
                throw .invalidConfiguration("unknown method \"\(p)\" (expected one of \(componentNames.joined(separator: ", ")), combined with +)")
            }
        }
        return m
    }
}

extension CKLMethod.Weighting {
    /// The policy object for a run whose model starts at `start`.
    func policy(start: ParameterSet) throws(CKLError) -> any TokenWeighting {
        switch self {
        case .uniform: return UniformWeighting()
        case .oracle: return OracleWeighting()
        case .rho1(let keep):
            do { return try Rho1Weighting(reference: start, keepFraction: keep) } catch { throw .invalidConfiguration(error.description) }
        case .policy(let p): return p
        }
    }
}

extension CKLMethod.Variant {
    /// Adds LoRA factors or adapters to `lm` (a fresh copy of the base).
    func apply(to lm: LanguageModel, seed: UInt64) throws(CKLError) {
        switch self {
        case .full: return
        case let .lora(rank, alpha, targets):
            try model { () throws(NNError) in
                try lm.addLoRA(rank: rank, alpha: alpha ?? Double(2 * rank),
                               targets: targets ?? ["blocks.*.attn.*", "blocks.*.mlp.*"], seed: seed)
            }
        case let .adapters(layers, dim, heads, output):
            let c = lm.config
            let d = dim ?? Swift.max(2, c.dModel / 2)
            var h = heads ?? (d >= 64 ? 2 : 1)
            if heads == nil, c.positions == .rotary, (d / h) % 2 != 0 { h = 1 }
            let l = layers ?? (c.layers > 1 ? [0, c.layers - 1] : [0])
            try model { () throws(NNError) in try lm.addAdapters(layers: l, dim: d, heads: h, output: output ?? CKLMethod.defaultAdapterOutput, seed: seed) }
        }
    }
}
