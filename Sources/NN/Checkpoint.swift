import Foundation
import TensorCore

/// Saving and loading whole language models as safetensors files: the parameters as F32
/// tensors, and in `__metadata__` the configuration, tokenizer, LoRA/adapter settings and
/// frozen patterns as JSON strings (`taalm.config`, `taalm.tokenizer`, ...).
public enum Checkpoint {
    public static let formatVersion = "1"

    /// Saves `model` to `path` (atomically: a crash never leaves a half-written file).
    public static func save(_ model: LanguageModel, to path: String) throws(NNError) {
        var meta: [String: String] = ["format": "pt", "taalm.format": formatVersion]
        meta["taalm.config"] = try json(model.config)
        if let t = model.tokenizer { meta["taalm.tokenizer"] = try json(t) }
        if let l = model.lora { meta["taalm.lora"] = try json(l) }
        if let a = model.adapters { meta["taalm.adapters"] = try json(a) }
        meta["taalm.frozen"] = try json(model.frozen)
        if let only = model.trainableOnly { meta["taalm.trainable_only"] = try json(only) }
        try Safetensors.write(model.params, metadata: meta, to: path)
    }

    /// Loads a model saved by `save`, validating the file and every tensor's shape against
    /// the stored configuration.
    public static func load(from path: String) throws(NNError) -> LanguageModel {
        let (tensors, meta) = try Safetensors.read(path)
        guard let cfgJSON = meta["taalm.config"] else {
            throw .checkpoint("'\(path)' has no taalm.config metadata: it was not written by taalm (its tensors can still be read with Safetensors.read)")
        }
        if let v = meta["taalm.format"], v != formatVersion {
            throw .checkpoint("'\(path)' uses taalm checkpoint format \(v); this build reads format \(formatVersion)")
        }
        let config: TransformerConfig = try decode(cfgJSON, "taalm.config", path)
        let tokenizer: TextTokenizer? = try meta["taalm.tokenizer"].map { s throws(NNError) in try decode(s, "taalm.tokenizer", path) }
        let lora: LoRAConfig? = try meta["taalm.lora"].map { s throws(NNError) in try decode(s, "taalm.lora", path) }
        let adapters: AdapterConfig? = try meta["taalm.adapters"].map { s throws(NNError) in try decode(s, "taalm.adapters", path) }
        do {
            try config.validate()
            if let t = tokenizer, t.vocabSize != config.vocabSize {
                throw NNError.checkpoint("the tokenizer has \(t.vocabSize) tokens but the configuration's vocabulary is \(config.vocabSize)")
            }
            let m = try LanguageModel(config: config, tokenizer: tokenizer, params: ordered(tensors, config, lora, adapters),
                                      lora: lora, adapters: adapters)
            if let f = meta["taalm.frozen"] { m.frozen = try decode(f, "taalm.frozen", path) }
            if let o = meta["taalm.trainable_only"] { m.trainableOnly = try decode(o, "taalm.trainable_only", path) }
            return m
        } catch let e as NNError {
            if case .checkpoint = e { throw e }
            throw .checkpoint("'\(path)' does not match its configuration: \(e.description)")
        } catch {
            throw .checkpoint("'\(path)': \(error)")
        }
    }

    /// The tensors in the model's parameter order (a file's order is its writer's).
    static func ordered(_ t: ParameterSet, _ c: TransformerConfig, _ l: LoRAConfig?, _ a: AdapterConfig?) throws(NNError) -> ParameterSet {
        let shell = try LanguageModel(config: c, tokenizer: nil, params: ParameterSet(), lora: l, adapters: a, validating: false)
        var out = ParameterSet()
        for (path, _) in shell.expectedShapes { if let x = t[path] { out[path] = x } }
        for (path, x) in t.entries where out[path] == nil { out[path] = x }
        return out
    }

    static func json<T: Encodable>(_ v: T) throws(NNError) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        do { return String(decoding: try enc.encode(v), as: UTF8.self) } catch { throw .checkpoint("cannot encode \(T.self): \(error)") }
    }

    static func decode<T: Decodable>(_ s: String, _ key: String, _ path: String) throws(NNError) -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(s.utf8)) } catch {
            throw .checkpoint("'\(path)': metadata \(key) is not valid (\(error))")
        }
    }
}

extension LanguageModel {
    /// Saves the model as a safetensors checkpoint (see `Checkpoint`).
    public func save(to path: String) throws(NNError) { try Checkpoint.save(self, to: path) }
    /// Loads a model saved with `save(to:)`.
    public static func load(from path: String) throws(NNError) -> LanguageModel { try Checkpoint.load(from: path) }
}
