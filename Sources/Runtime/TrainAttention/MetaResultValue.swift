import Language
import NN
import TensorCore
import TrainAttention

/// What `meta_train` returns: the meta-loss curve, the held-out evaluations (agreement with
/// the oracle, meta-loss, optional validation accuracy) and φ's weights on one held-out
/// document at each evaluation, which `snapshot(i)` shows.
final class MetaResultValue: NativeObject {
    let result: MetaTrainingResult
    let tokenizer: TextTokenizer?

    init(_ result: MetaTrainingResult, tokenizer: TextTokenizer?) {
        self.result = result
        self.tokenizer = tokenizer
    }

    var typeName: String { "meta_result" }
    var doc: String {
        "The result of meta_train. Properties: \(Self.properties.joined(separator: ", ")). Methods: snapshot(i), snapshots()."
    }
    static let properties = ["meta_losses", "steps", "evaluations", "object_share", "precision", "meta_loss_held_out",
                             "validation_accuracy", "interrupted", "seconds"]
    var memberNames: [String] { Self.properties + ["snapshot", "snapshots"] }
    var shortSummary: String { "meta_result, \(result.metaLosses.count) steps" }

    static func record(_ a: Agreement) -> Value {
        .record(RecordBox([("object_share", .number(a.objectShare)), ("precision", .number(a.precisionAtK)),
                           ("recall", .number(a.recallAtK)), ("documents", .number(Double(a.documents)))]))
    }

    static func number(_ x: Double?) -> Value { x.map { $0.isFinite ? .number($0) : .null } ?? .null }

    func evaluationRecord(_ e: MetaEvaluation) -> Value {
        .record(RecordBox([("step", .number(Double(e.step))), ("meta_loss", Self.number(e.heldOutMetaLoss)),
                           ("object_share", .number(e.agreement.objectShare)), ("precision", .number(e.agreement.precisionAtK)),
                           ("recall", .number(e.agreement.recallAtK)), ("validation_accuracy", Self.number(e.validationAccuracy)),
                           ("snapshot", TensorValue.wrap((try? Tensor(shape: [e.snapshot.count], values: e.snapshot)) ?? Tensor.scalar(0)))]))
    }

    func display(_ ctx: DisplayContext) -> String {
        let evals = result.evaluations
        var lines = ["meta_result: \(result.metaLosses.count) steps in \(ModelArgs.fixed(result.seconds, 1)) s\(result.interrupted ? " (interrupted)" : "")"]
        if let first = result.metaLosses.first, let last = result.metaLosses.last {
            let tail = result.metaLosses.suffix(10)
            lines.append("  meta-loss (task NLL after the inner step): \(ModelArgs.fixed(first)) → \(ModelArgs.fixed(tail.reduce(0, +) / Double(tail.count))) (mean of the last \(tail.count))")
            _ = last
        }
        if let a = evals.first, let b = evals.last {
            lines.append("  held-out object share of weight: \(ModelArgs.fixed(a.agreement.objectShare, 3)) → \(ModelArgs.fixed(b.agreement.objectShare, 3))")
            lines.append("  held-out precision@k vs the oracle: \(ModelArgs.fixed(a.agreement.precisionAtK, 3)) → \(ModelArgs.fixed(b.agreement.precisionAtK, 3))")
            lines.append("  held-out meta-loss: \(ModelArgs.fixed(a.heldOutMetaLoss)) → \(ModelArgs.fixed(b.heldOutMetaLoss))")
            if let va = a.validationAccuracy, let vb = b.validationAccuracy {
                lines.append("  held-out task accuracy after weighted training: \(ModelArgs.fixed(va, 3)) → \(ModelArgs.fixed(vb, 3))")
            }
        }
        lines.append("  \(evals.count) evaluations; r.snapshot(i) shows φ's weights on one held-out document at evaluation i")
        return lines.joined(separator: "\n")
    }

    func member(_ name: String, _ ctx: CallContext) throws(NativeError) -> Value? {
        let evals = result.evaluations
        switch name {
        case "meta_losses": return .list(ListBox(result.metaLosses.map { .number($0) }))
        case "steps": return .number(Double(result.metaLosses.count))
        case "evaluations": return .list(ListBox(evals.map(evaluationRecord)))
        case "object_share": return .list(ListBox(evals.map { .number($0.agreement.objectShare) }))
        case "precision": return .list(ListBox(evals.map { .number($0.agreement.precisionAtK) }))
        case "meta_loss_held_out": return .list(ListBox(evals.map { Self.number($0.heldOutMetaLoss) }))
        case "validation_accuracy": return .list(ListBox(evals.map { Self.number($0.validationAccuracy) }))
        case "interrupted": return .bool(result.interrupted)
        case "seconds": return .number(result.seconds)
        case "snapshot":
            return .native(NativeFunction("snapshot", doc: """
                r.snapshot(i) is φ's weights on the snapshot document at evaluation i (0 = before meta-training, -1 = the \
                last), as a token heatmap: step through them to watch the weight move.
                """, params: [Param("i", default: .number(-1))]) { [self] args, _ throws(NativeError) in
                let i = try ModelArgs.int(args[0], "snapshot: i")
                let j = i < 0 ? evals.count + i : i
                guard j >= 0 && j < evals.count else {
                    throw NativeError("snapshot: \(i) is not an evaluation (there are \(evals.count): 0...\(evals.count - 1), or -1 for the last)")
                }
                let ids = Array(result.snapshotDocument.dropFirst().prefix(evals[j].snapshot.count))
                return .object(TokenViews.single(tokenizer, ids, evals[j].snapshot, label: "step \(evals[j].step)", fixedUnit: true))
            })
        case "snapshots":
            return .native(NativeFunction("snapshots", doc: "r.snapshots() shows every snapshot token-aligned, one row per evaluation.") { [self] _, _ throws(NativeError) in
                let ids = Array(result.snapshotDocument.dropFirst().prefix(evals.first?.snapshot.count ?? 0))
                return .object(TokenViews.comparison(tokenizer, ids, evals.map { ("step \($0.step)", $0.snapshot, true) },
                                                     title: "φ's weights during meta-training"))
            })
        default: return nil
        }
    }
}
