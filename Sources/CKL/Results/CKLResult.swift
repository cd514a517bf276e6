/// TO-LEARN and NOT-TO-FORGET task accuracy after one epoch (epoch 0 = before training).
public struct CKLEpochRecord: Sendable, Hashable {
    public let epoch: Int
    public let toLearn: Double
    public let notToForget: Double
    /// Mean weighted training loss over the epoch's steps (nil for epoch 0).
    public let trainLoss: Double?

    public init(epoch: Int, toLearn: Double, notToForget: Double, trainLoss: Double?) {
        self.epoch = epoch
        self.toLearn = toLearn
        self.notToForget = notToForget
        self.trainLoss = trainLoss
    }
}

/// The outcome of one LAMA-ckl run: per-epoch curves and the paper's table metrics.
///
/// - Top Acc: the best TO-LEARN accuracy over epochs 0…N (the earliest epoch on ties);
/// - Epoch: where it occurs;
/// - NF Acc: NOT-TO-FORGET accuracy at that epoch;
/// - Total Knowledge: Top Acc + NF Acc;
/// - Ep@90%: the first epoch whose TO-LEARN accuracy reaches 90 % of the run's own Top Acc
///   (`epochsTo(fraction:)`), a measure of learning speed that a late, noisy maximum on a
///   plateau does not move.
public struct CKLResult: Sendable, Hashable, CustomStringConvertible {
    public let method: String
    /// Settings as (name, value) pairs, for tables and exports.
    public let settings: [Setting]
    public let curve: [CKLEpochRecord]
    /// Epochs asked for (the curve holds fewer when interrupted).
    public let plannedEpochs: Int
    public let seconds: Double
    public let interrupted: Bool

    public struct Setting: Sendable, Hashable {
        public let name: String
        public let value: String
        public init(_ name: String, _ value: String) { self.name = name; self.value = value }
    }

    public init(method: String, settings: [Setting] = [], curve: [CKLEpochRecord], plannedEpochs: Int? = nil,
                seconds: Double = 0, interrupted: Bool = false) {
        self.method = method
        self.settings = settings
        self.curve = curve
        self.plannedEpochs = plannedEpochs ?? Swift.max(0, (curve.map(\.epoch).max() ?? 0))
        self.seconds = seconds
        self.interrupted = interrupted
    }

    /// The same run under another name (tables and `CKLStudy` group rows by name), so
    /// variants of one method — two learning rates, two φs — get rows of their own. The
    /// method's own name is kept as the first setting ("method").
    public func labeled(_ name: String) -> CKLResult {
        let kept = settings.first?.name == "method" ? settings : [Setting("method", method)] + settings
        return CKLResult(method: name, settings: kept, curve: curve, plannedEpochs: plannedEpochs,
                         seconds: seconds, interrupted: interrupted)
    }

    /// The record with the best TO-LEARN accuracy (earliest on ties).
    public var top: CKLEpochRecord? {
        var best: CKLEpochRecord? = nil
        for r in curve where best == nil || r.toLearn > best!.toLearn { best = r }
        return best
    }

    public var topAccuracy: Double { top?.toLearn ?? 0 }
    public var topEpoch: Int { top?.epoch ?? 0 }
    public var notToForgetAtTop: Double { top?.notToForget ?? 0 }
    public var totalKnowledge: Double { topAccuracy + notToForgetAtTop }

    /// Ep@90%: the first epoch whose TO-LEARN accuracy is at least 90 % of this run's Top Acc
    /// (0 for an empty curve, like `topEpoch`).
    public var epochsTo90: Int { firstEpoch(reaching: 0.9 * topAccuracy) ?? 0 }

    /// The first epoch (≥ 0) whose TO-LEARN accuracy is at least `fraction` × this run's Top
    /// Acc: 1 gives `topEpoch`, 0.9 the epoch by which the run has learned 90 % of what it
    /// will learn. Unlike the argmax epoch it does not jump to the end of a plateau when a
    /// late epoch beats it by one unit. `fraction` must be in (0, 1]. An empty curve gives 0,
    /// like `topEpoch`.
    public func epochsTo(fraction: Double) throws(CKLError) -> Int {
        guard fraction.isFinite, fraction > 0, fraction <= 1 else {
            throw .invalidConfiguration("fraction must be in (0, 1] (a share of the run's Top Acc), not \(fraction)")
        }
        return firstEpoch(reaching: fraction * topAccuracy) ?? 0
    }

    /// The first epoch (≥ 0) whose TO-LEARN accuracy is at least `accuracy` (an absolute
    /// level, e.g. another method's Top Acc: when did TAALM pass Finetune's best?); nil when
    /// no epoch reaches it. `accuracy` must be in [0, 1].
    public func epochsTo(accuracy: Double) throws(CKLError) -> Int? {
        guard accuracy.isFinite, accuracy >= 0, accuracy <= 1 else {
            throw .invalidConfiguration("accuracy must be in [0, 1], not \(accuracy)")
        }
        return firstEpoch(reaching: accuracy)
    }

    /// Accuracies are means over units, so a level computed from another run (or as a
    /// fraction of this one's top) can differ from an equal accuracy by rounding; a level
    /// within this of it counts as reached.
    static let reachTolerance = 1e-12

    func firstEpoch(reaching level: Double) -> Int? {
        curve.first { $0.toLearn >= level - Self.reachTolerance }?.epoch
    }

    /// The completed epochs (excluding epoch 0).
    public var epochsCompleted: Int { curve.filter { $0.epoch > 0 }.count }

    public var toLearnCurve: [Double] { curve.map(\.toLearn) }
    public var notToForgetCurve: [Double] { curve.map(\.notToForget) }
    public var trainLossCurve: [Double?] { curve.map(\.trainLoss) }

    public var description: String {
        var lines = ["\(method): Top Acc \(String(format3: topAccuracy)) at epoch \(topEpoch), NF Acc \(String(format3: notToForgetAtTop)), "
            + "Total Knowledge \(String(format3: totalKnowledge)) (\(epochsCompleted)/\(plannedEpochs) epochs, \(String(format3: seconds)) s"
            + (interrupted ? ", interrupted)" : ")")]
        lines.append("  epoch  TO-LEARN  NF     loss")
        for r in curve {
            lines.append("  " + String(r.epoch).leftPad(5) + "  " + String(format3: r.toLearn).leftPad(8) + "  "
                         + String(format3: r.notToForget) + "  " + (r.trainLoss.map { String(format3: $0) } ?? "—"))
        }
        return lines.joined(separator: "\n")
    }
}

/// Several methods' results side by side: the paper's comparison table.
public struct CKLComparison: Sendable, Hashable, CustomStringConvertible {
    public let results: [CKLResult]

    public init(_ results: [CKLResult]) { self.results = results }

    public static let columns = ["Method", "Top Acc", "Epoch", "Ep@90%", "NF Acc", "Total Knowledge"]

    /// One row per result: method, Top Acc, Epoch, Ep@90%, NF Acc, Total Knowledge.
    public var rows: [(method: String, top: Double, epoch: Int, epoch90: Int, nf: Double, total: Double)] {
        results.map { ($0.method, $0.topAccuracy, $0.topEpoch, $0.epochsTo90, $0.notToForgetAtTop, $0.totalKnowledge) }
    }

    /// Plain aligned text (for debugging; Runtime renders the rich table).
    public var description: String {
        var cells = [Self.columns]
        for r in rows {
            cells.append([r.method, String(format3: r.top), String(r.epoch), String(r.epoch90), String(format3: r.nf), String(format3: r.total)])
        }
        let widths = Self.columns.indices.map { c in cells.map { $0[c].count }.max() ?? 0 }
        return cells.enumerated().map { i, row in
            let line = row.enumerated().map { c, cell in c == 0 ? cell.padding(widths[c]) : cell.leftPad(widths[c]) }.joined(separator: "  ")
            return i == 0 ? line + "\n" + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") : line
        }.joined(separator: "\n")
    }
}
