import NN
import TensorCore

/// Train-Attention φ: a small causal transformer body whose LM head is replaced by a
/// `hidden → 1` head; a sigmoid of its output at each position is the weight of the token
/// at that position (read at the token's own position, as in the authors' code). The head
/// bias starts at 4.0, so every weight starts near sigmoid(4) ≈ 0.98: close to plain
/// fine-tuning, from which meta-training moves it.
public final class TrainAttentionModel: CustomStringConvertible, @unchecked Sendable {
    public let config: TransformerConfig
    public let body: TransformerBody
    /// φ: the body under `ta.` and the head `ta.head.w` [d, 1], `ta.head.b` [1].
    public var params: ParameterSet
    public static let initialHeadBias: Float = 4.0

    /// A fresh φ (random body, head weight small, bias 4.0).
    public init(config: TransformerConfig, seed: UInt64) throws(NNError) {
        try config.validate()
        self.config = config
        body = try TransformerBody(config, prefix: "ta.")
        var p = ParameterSet()
        var rng = TaalmRNG(seed: seed)
        try body.initialize(into: &p, rng: &rng)
        let w = try nn { try Tensor.randomNormal([config.dModel, 1], std: 0.02, rng: &rng) }
        let bias = try nn { try Tensor.full([1], Self.initialHeadBias) }
        p = try p.merging(ParameterSet([("ta.head.w", w), ("ta.head.b", bias)]))
        params = p
    }

    /// φ with its body copied from a trained language model (same vocabulary and shape):
    /// the option of starting Train-Attention from a model that already reads the text.
    /// Its context is the model's plus one, like a fresh φ's: φ reads the first input token
    /// and every target, so a training row that fills the model's context (e.g. a rehearsed
    /// pretraining window under Mix-review) is one token longer than the model reads. With
    /// learned positions the model's table fills the first rows; the extra row keeps its
    /// random start.
    public convenience init(initialisedFrom lm: LanguageModel, seed: UInt64) throws(NNError) {
        var config = lm.config
        config.context += 1
        try self.init(config: config, seed: seed)
        var copied: [(String, Tensor)] = []
        for (path, tensor) in params.entries {
            guard path.hasPrefix("ta."), !path.hasPrefix("ta.head."), let source = lm.params[String(path.dropFirst("ta.".count))] else {
                copied.append((path, tensor))
                continue
            }
            if source.shape == tensor.shape {
                copied.append((path, source.detach()))
            } else if path == body.positions.weightPath, source.rank == 2, tensor.rank == 2, source.shape[1] == tensor.shape[1],
                      source.shape[0] < tensor.shape[0] {
                let rest = try nn { try slice(tensor, axis: 0, start: source.shape[0], end: tensor.shape[0]) }
                copied.append((path, try nn { try concat([source.detach(), rest]) }))
            } else {
                copied.append((path, tensor))
            }
        }
        params = try ParameterSet(copied)
    }

    /// Token weights [B, T] for the targets of `batch` under parameters `p` (differentiable
    /// in p). The weight of target t (the token seq[t+1]) is read at position t+1 of the
    /// full sequence seq[0...T]; padding gets whatever the head says and is masked by losses.
    public func weights(params p: ParameterSet? = nil, batch: TokenBatch) throws(NNError) -> Tensor {
        let p = p ?? params
        let b = batch.batchSize, t = batch.length
        guard t + 1 <= config.context else {
            throw .invalidInput("Train-Attention's context (\(config.context)) is shorter than the document (\(t + 1) tokens); give it a longer context")
        }
        // Full sequences: the first input token, then every target.
        var full = [Int32](repeating: 0, count: b * (t + 1))
        for r in 0..<b {
            full[r * (t + 1)] = batch.inputs.values[r * t]
            for j in 0..<t { full[r * (t + 1) + j + 1] = batch.targets.values[r * t + j] }
        }
        let tokens = try nn { try IndexTensor(shape: [b, t + 1], values: full) }
        let h = try body.hiddenStates(params: p, tokens: tokens)
        let w = try p.require("ta.head.w", shape: [config.dModel, 1]), bias = try p.require("ta.head.b", shape: [1])
        return try nn {
            let logits = try add(reshape(matmul(h, w), [b, t + 1]), bias)
            return try sigmoid(slice(logits, axis: 1, start: 1, end: t + 1))
        }
    }

    public var parameterCount: Int { params.scalarCount }

    public var description: String {
        "TrainAttention(d \(config.dModel), \(config.layers) layer(s), \(config.heads) head(s), context \(config.context), head bias starts at \(Self.initialHeadBias)); \(parameterCount) parameters"
    }
}


extension TrainAttentionModel {
    static let configKey = "taalm.train_attention.config"

    /// Writes φ and its config as safetensors (atomic: temp file, then rename).
    public func save(to path: String) throws(NNError) {
        let data = try nn { try JSONEncoder().encode(config) }
        try Safetensors.write(params, metadata: [Self.configKey: String(decoding: data, as: UTF8.self)], to: path)
    }

    /// Reads a φ written by `save(to:)`, validating every tensor against its config.
    public static func load(from path: String) throws(NNError) -> TrainAttentionModel {
        let (tensors, metadata) = try Safetensors.read(path)
        guard let json = metadata[configKey] else {
            throw .checkpoint("\(path) is not a Train-Attention checkpoint (no \(configKey) in its metadata)")
        }
        let config: TransformerConfig
        do { config = try JSONDecoder().decode(TransformerConfig.self, from: Data(json.utf8)) } catch {
            throw .checkpoint("\(path): the Train-Attention config in the metadata is not valid: \(error)")
        }
        let model = try TrainAttentionModel(config: config, seed: 0)
        for (p, t) in model.params.entries {
            guard let loaded = tensors[p] else { throw .checkpoint("\(path): missing tensor '\(p)'") }
            guard loaded.shape == t.shape else {
                throw .checkpoint("\(path): tensor '\(p)' has shape \(shapeString(loaded.shape)), the config needs \(shapeString(t.shape))")
            }
        }
        guard tensors.count == model.params.count else {
            throw .checkpoint("\(path): \(tensors.count) tensors, the config has \(model.params.count)")
        }
        model.params = try model.params.applying(tensors)
        return model
    }
}

import Foundation
