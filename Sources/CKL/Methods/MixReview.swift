import TensorCore

/// Mix-review (He et al. 2021, as used by the Train-Attention paper): every batch of new
/// documents also trains on pretraining documents, `ratio` of them per new document
/// (rounded per batch), the ratio multiplied by `decay` after every epoch. Rehearsal
/// documents are drawn without replacement from a seeded shuffle of the pretraining
/// corpus, reshuffled when it runs out; they are weighted by the same policy as the new
/// documents (the oracle marks their own fact's object).
public struct MixReviewConfig: Sendable, Hashable, CustomStringConvertible {
    public var ratio: Double
    public var decay: Double
    public var seed: UInt64

    public init(ratio: Double = 0.5, decay: Double = 1, seed: UInt64 = 0) {
        self.ratio = ratio
        self.decay = decay
        self.seed = seed
    }

    public func validate() throws(CKLError) {
        guard ratio >= 0, ratio <= 16, ratio.isFinite else { throw .invalidConfiguration("Mix-review ratio must be in [0, 16], got \(ratio)") }
        guard decay > 0, decay <= 1 else { throw .invalidConfiguration("Mix-review decay must be in (0, 1], got \(decay)") }
    }

    /// Rehearsal rows to add to a batch of `rows` new rows in `epoch` (1-based).
    public func rehearsalCount(rows: Int, epoch: Int) -> Int {
        var r = ratio
        if epoch > 1 { for _ in 1..<epoch { r *= decay } }
        return Int((r * Double(rows)).rounded())
    }

    public var description: String { "Mix-review ratio \(ratio)\(decay < 1 ? ", decay \(decay)" : "")" }
}

/// Draws rehearsal rows: a seeded, reshuffled-when-exhausted stream over the corpus rows.
struct RehearsalStream {
    let rows: [TrainingExample]
    private var order: [Int] = []
    private var cursor = 0
    private var rng: TaalmRNG

    init(rows: [TrainingExample], seed: UInt64) {
        self.rows = rows
        rng = TaalmRNG(seed: seed &+ 0x4D49_5852)
    }

    mutating func next(_ n: Int) -> [TrainingExample] {
        guard !rows.isEmpty, n > 0 else { return [] }
        var out: [TrainingExample] = []
        out.reserveCapacity(n)
        while out.count < n {
            if cursor >= order.count {
                order = Array(rows.indices)
                shuffle(&order, rng: &rng)
                cursor = 0
            }
            out.append(rows[order[cursor]])
            cursor += 1
        }
        return out
    }
}

/// The batches of one epoch: the new rows in a seeded shuffle, cut into batches of
/// `batchSize`, each followed by its Mix-review rehearsal rows (none without Mix-review).
struct EpochBatches {
    let rows: [TrainingExample]
    let batchSize: Int
    let mixReview: MixReviewConfig?
    var rehearsal: RehearsalStream?
    var rng: TaalmRNG

    init(rows: [TrainingExample], batchSize: Int, mixReview: MixReviewConfig?, rehearsalRows: [TrainingExample], seed: UInt64) {
        self.rows = rows
        self.batchSize = batchSize
        self.mixReview = mixReview
        rehearsal = mixReview.map { RehearsalStream(rows: rehearsalRows, seed: $0.seed) }
        rng = TaalmRNG(seed: seed)
    }

    var stepsPerEpoch: Int { (rows.count + batchSize - 1) / batchSize }

    /// The batches of `epoch` (1-based), in order.
    mutating func epoch(_ epoch: Int) -> [[TrainingExample]] {
        var order = Array(rows.indices)
        shuffle(&order, rng: &rng)
        var out: [[TrainingExample]] = []
        for s in 0..<stepsPerEpoch {
            var batch = order[(s * batchSize)..<Swift.min((s + 1) * batchSize, order.count)].map { rows[$0] }
            if let mix = mixReview, rehearsal != nil {
                batch += rehearsal!.next(mix.rehearsalCount(rows: batch.count, epoch: epoch))
            }
            out.append(batch)
        }
        return out
    }
}
