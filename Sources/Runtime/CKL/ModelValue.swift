import CKL
import Foundation
import Language
import NN

/// A language model as a taalm value: the base model `pretrain` returns, or the model a
/// CKL run trained.
///
/// Minimal on purpose: the full model value (generation, scoring, checkpoints, layers) lives
/// with the NN bindings; this one carries what the CKL builtins need and how the model was
/// pretrained.
public final class ModelValue: NativeObject {
    public let model: LanguageModel
    /// How `pretrain` made it (nil for other models).
    public let pretraining: PretrainResult?

    public init(_ model: LanguageModel, pretraining: PretrainResult? = nil) {
        self.model = model
        self.pretraining = pretraining
    }

    public var typeName: String { "model" }
    public var doc: String {
        "A transformer language model. Members: parameters, trainable, config, tokenizer, pretraining (the curve and pre-test levels of pretrain()), save(path)."
    }
    public var shortSummary: String { "model, \(model.parameterCount) parameters" }
    public var memberNames: [String] { ["parameters", "trainable", "config", "tokenizer", "pretraining", "save"] }

    public func display(_ ctx: DisplayContext) -> String {
        var s = model.description
        if let p = pretraining {
            s += "\npretrained \(p.epochs) epochs (\(String(format: "%.1f", p.seconds)) s): NOT-TO-FORGET \(String(format: "%.3f", p.notToForgetAccuracy)), TO-LEARN \(String(format: "%.3f", p.toLearnAccuracy))"
                + (p.reachedTargetAt.map { ", target reached at epoch \($0)" } ?? "") + (p.interrupted ? " — interrupted" : "")
        }
        return s
    }

    public func member(_ name: String, _ ctx: CallContext) throws(NativeError) -> Value? {
        switch name {
        case "parameters": return .number(Double(model.parameterCount))
        case "trainable": return .number(Double(model.trainableCount))
        case "config": return .string(model.config.description)
        case "tokenizer": return model.tokenizer.map { .string($0.description) } ?? .null
        case "pretraining":
            guard let p = pretraining else { return .null }
            return .makeRecord([
                ("epochs", .number(Double(p.epochs))),
                ("reached_target_at", p.reachedTargetAt.map { .number(Double($0)) } ?? .null),
                ("not_to_forget", .number(p.notToForgetAccuracy)),
                ("to_learn", .number(p.toLearnAccuracy)),
                ("seconds", .number(p.seconds)),
                ("interrupted", .bool(p.interrupted)),
                ("curve", .makeRecord([
                    ("epoch", .makeList(p.curve.map { .number(Double($0.epoch)) })),
                    ("loss", .makeList(p.curve.map { .number($0.loss) })),
                    ("not_to_forget", .makeList(p.curve.map { .number($0.notToForget) })),
                    ("to_learn", .makeList(p.curve.map { .number($0.toLearn) })),
                ])),
            ])
        case "save":
            let m = model
            return .native(NativeFunction("save", doc: "Writes the model as a safetensors checkpoint.", params: [Param("path")]) { args, _ throws(NativeError) in
                let path = try args.string(0)
                do throws(NNError) { try m.save(to: path) } catch { throw NativeError("save: \(error.description)") }
                return .null
            })
        default: return nil
        }
    }
}
