import Language
import NN

/// What `fit` returns: the loss of every step and the mean loss of every epoch, the
/// final loss, whether Ctrl-C stopped it, the time taken, and what the `eval` callback
/// returned.
final class TrainResultValue: NativeObject {
    let result: TrainResult
    /// Mean loss of each epoch (a partial last epoch included).
    let epochLosses: [Float]
    let evals: [Value]

    init(_ result: TrainResult, epochOfStep: [Int], evals: [Value]) {
        self.result = result
        self.evals = evals
        var sums: [Int: (Double, Int)] = [:]
        for (loss, e) in zip(result.losses, epochOfStep) { sums[e, default: (0, 0)].0 += Double(loss); sums[e, default: (0, 0)].1 += 1 }
        epochLosses = sums.sorted { $0.key < $1.key }.map { Float($0.value.0 / Double($0.value.1)) }
    }

    var typeName: String { "train_result" }
    var doc: String {
        "The result of fit. Members: \(memberNames.joined(separator: ", ")). losses has one entry per step, epoch_losses one per epoch."
    }
    var memberNames: [String] { ["losses", "epoch_losses", "final_loss", "steps", "epochs", "interrupted", "seconds", "tokens", "tokens_per_second", "evals"] }
    var shortSummary: String { "train_result, \(result.steps) steps" }

    func member(_ name: String, _ ctx: CallContext) throws(NativeError) -> Value? {
        let r = result
        switch name {
        case "losses": return ModelArgs.numbers(r.losses)
        case "epoch_losses": return ModelArgs.numbers(epochLosses)
        case "final_loss": return r.finalLoss.map { TensorConvert.number($0) } ?? .null
        case "steps": return .number(Double(r.steps))
        case "epochs": return .number(Double(r.epochsCompleted))
        case "interrupted": return .bool(r.interrupted)
        case "seconds": return .number(r.seconds)
        case "tokens": return .number(Double(r.tokens))
        case "tokens_per_second": return .number(Double(r.tokens) / Swift.max(r.seconds, 1e-9))
        case "evals": return .list(ListBox(evals))
        default: return nil
        }
    }

    func display(_ ctx: DisplayContext) -> String {
        let r = result
        var s = "trained \(r.steps) steps (\(r.epochsCompleted) epoch\(r.epochsCompleted == 1 ? "" : "s")) in \(ModelArgs.fixed(r.seconds, 1)) s"
        if let first = r.losses.first, let last = r.finalLoss {
            s += ", loss \(ModelArgs.fixed(Double(first))) → \(ModelArgs.fixed(Double(last)))"
        }
        if epochLosses.count > 1 { s += "\n  epoch losses \(Self.sparkline(epochLosses))" }
        if r.interrupted { s += "\n  interrupted by Ctrl-C: the model keeps its last completed step" }
        return s
    }

    /// Values as block characters, lowest ▁ to highest █; more than `width` values are
    /// averaged in equal buckets first.
    static func sparkline(_ values: [Float], width: Int = 40) -> String {
        var xs = values
        if xs.count > width {
            xs = (0..<width).map { b in
                let lo = b * values.count / width, hi = Swift.max(lo + 1, (b + 1) * values.count / width)
                return values[lo..<hi].reduce(0, +) / Float(hi - lo)
            }
        }
        let blocks = Array("▁▂▃▄▅▆▇█")
        guard let lo = xs.min(), let hi = xs.max(), hi > lo else { return String(repeating: "▄", count: xs.count) }
        return String(xs.map { blocks[Swift.min(7, Int((($0 - lo) / (hi - lo) * 7).rounded()))] })
    }
}
