import Foundation
import TensorCore

/// Settings of text generation.
public struct GenerationOptions: Sendable {
    /// How many tokens to add.
    public var maxTokens: Int
    /// 0 = greedy (argmax); otherwise logits are divided by it before sampling.
    public var temperature: Double
    /// Sample only among the k most likely tokens (nil = all).
    public var topK: Int?
    public var seed: UInt64
    /// Stop after producing `<eos>`.
    public var stopAtEOS: Bool

    public init(maxTokens: Int = 20, temperature: Double = 0, topK: Int? = nil, seed: UInt64 = 0, stopAtEOS: Bool = true) {
        self.maxTokens = maxTokens; self.temperature = temperature; self.topK = topK; self.seed = seed; self.stopAtEOS = stopAtEOS
    }
}

/// Teacher-forced scores of one sequence.
public struct SequenceScore: Sendable {
    /// −log p(token i | tokens before i) for i = 1..<n (entry i−1).
    public let nll: [Float]
    /// Whether the argmax prediction for token i was token i (entry i−1).
    public let correct: [Bool]
}

extension LanguageModel {
    /// Continues `prompt` (token ids) by `options.maxTokens` tokens; returns only the new
    /// tokens. The model reads the last `context` tokens at each step.
    public func generate(prompt: [Int], options: GenerationOptions = GenerationOptions()) throws(NNError) -> [Int] {
        guard !prompt.isEmpty else { throw .invalidInput("generation needs a prompt of at least one token") }
        guard options.maxTokens >= 0 else { throw .invalidInput("maxTokens must be ≥ 0") }
        guard options.temperature >= 0, options.temperature.isFinite else { throw .invalidInput("temperature must be ≥ 0") }
        if let k = options.topK, k < 1 { throw .invalidInput("top-k must be ≥ 1, got \(k)") }
        for v in prompt where v < 0 || v >= config.vocabSize { throw .invalidInput("token id \(v) is outside the vocabulary 0..<\(config.vocabSize)") }
        var rng = TaalmRNG(seed: options.seed)
        var seq = prompt
        var out: [Int] = []
        let ctx = context()
        for _ in 0..<options.maxTokens {
            let window = Array(seq.suffix(config.context))
            let ids = try nn { try IndexTensor(shape: [1, window.count], values: window.map { Int32($0) }) }
            let lg = try nn { try Autodiff.withoutGrad { try self.logits(params: self.params, tokens: ids, context: ctx) } }
            let v = config.vocabSize
            let row = Array(UnsafeBufferPointer(start: lg.storage.pointer + (window.count - 1) * v, count: v))
            let next = Self.pick(row, temperature: options.temperature, topK: options.topK, rng: &rng)
            out.append(next)
            seq.append(next)
            if options.stopAtEOS && next == SpecialToken.eos.id { break }
        }
        return out
    }

    /// Continues `prompt` text; returns the generated text (without the prompt).
    public func generate(_ prompt: String, options: GenerationOptions = GenerationOptions()) throws(NNError) -> String {
        guard let t = tokenizer else { throw .tokenizer("this model has no tokenizer; pass token ids instead") }
        var ids = try generate(prompt: encodeForModel(prompt, eos: false), options: options)
        if options.stopAtEOS, ids.last == t.eosId { ids.removeLast() }
        return try t.decode(ids)
    }

    static func pick(_ logits: [Float], temperature: Double, topK: Int?, rng: inout TaalmRNG) -> Int {
        var best = 0
        for i in logits.indices where logits[i] > logits[best] { best = i }
        guard temperature > 0 else { return best }
        var cand = Array(logits.indices)
        if let k = topK, k < cand.count {
            cand.sort { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
            cand = Array(cand.prefix(k))
        }
        let m = Double(logits[best])
        let w = cand.map { Foundation.exp((Double(logits[$0]) - m) / temperature) }
        let total = w.reduce(0, +)
        guard total > 0, total.isFinite else { return best }
        var u = rng.nextUnit() * total
        for (j, i) in cand.enumerated() {
            u -= w[j]
            if u < 0 { return i }
        }
        return cand.last ?? best
    }

    /// Teacher-forced scores of token sequences (batched, no graph): per-token NLL and
    /// argmax correctness. A sequence longer than the context is scored in consecutive
    /// windows (each window restarts the context).
    public func score(_ sequences: [[Int]], batchSize: Int = 32) throws(NNError) -> [SequenceScore] {
        guard batchSize >= 1 else { throw .invalidInput("batch size must be ≥ 1") }
        var items: [(seq: Int, window: [Int])] = []
        for (i, s) in sequences.enumerated() {
            for v in s where v < 0 || v >= config.vocabSize { throw .invalidInput("token id \(v) is outside the vocabulary 0..<\(config.vocabSize)") }
            guard s.count >= 2 else { throw .invalidInput("sequence \(i) needs at least 2 tokens to be scored") }
            for w in TokenBatch.windows(s, context: config.context) { items.append((i, w)) }
        }
        var nll = [[Float]](repeating: [], count: sequences.count)
        var correct = [[Bool]](repeating: [], count: sequences.count)
        let ctx = context()
        var start = 0
        while start < items.count {
            let chunk = Array(items[start..<Swift.min(start + batchSize, items.count)])
            let batch = try TokenBatch(sequences: chunk.map(\.window), padId: SpecialToken.pad.id, maxLength: config.context)
            let lg = try nn { try Autodiff.withoutGrad { try self.logits(params: self.params, tokens: batch.inputs, context: ctx) } }
            let losses = try nn { try crossEntropy(lg, batch.targets) }
            let v = config.vocabSize, t = batch.length
            let L = losses.storage.pointer, P = lg.storage.pointer
            for (r, item) in chunk.enumerated() {
                for j in 0..<batch.lengths[r] {
                    let row = P + (r * t + j) * v
                    var best = 0
                    for c in 1..<v where row[c] > row[best] { best = c }
                    nll[item.seq].append(L[r * t + j])
                    correct[item.seq].append(best == Int(batch.targets.values[r * t + j]))
                }
            }
            start += batchSize
        }
        return zip(nll, correct).map { SequenceScore(nll: $0, correct: $1) }
    }

    /// Per-token NLL of `text` (one value per text token and the final `<eos>`, each
    /// predicted from `<bos>` and the tokens before it), as a tensor.
    public func nll(_ text: String) throws(NNError) -> Tensor {
        let s = try score([encodeForModel(text)])
        return Tensor(s.first?.nll ?? [])
    }

    /// exp(mean per-token NLL) over all tokens of `texts`.
    public func perplexity(_ texts: [String]) throws(NNError) -> Double {
        var seqs: [[Int]] = []
        for t in texts { seqs.append(try encodeForModel(t)) }
        let all = try score(seqs).flatMap(\.nll)
        guard !all.isEmpty else { throw .invalidInput("no tokens to score") }
        return Foundation.exp(all.reduce(0.0) { $0 + Double($1) } / Double(all.count))
    }

    /// Teacher-forced argmax accuracy over spans (the LAMA-ckl metric): for each sequence,
    /// the fraction of the tokens at positions in its span (positions index the sequence;
    /// a span must start at ≥ 1) that the model predicts exactly from the tokens before.
    /// Returns one accuracy per sequence.
    public func spanAccuracy(_ sequences: [[Int]], spans: [Range<Int>], batchSize: Int = 32) throws(NNError) -> [Double] {
        guard sequences.count == spans.count else { throw .invalidInput("\(sequences.count) sequences but \(spans.count) spans") }
        for (i, (s, sp)) in zip(sequences, spans).enumerated() {
            guard sp.lowerBound >= 1, sp.upperBound <= s.count, !sp.isEmpty else {
                throw .invalidInput("span \(sp) of sequence \(i) must be non-empty, start at ≥ 1 and end within its \(s.count) tokens")
            }
        }
        let scores = try score(sequences, batchSize: batchSize)
        return zip(scores, spans).map { sc, sp in
            let hits = sp.filter { sc.correct[$0 - 1] }.count
            return Double(hits) / Double(sp.count)
        }
    }
}
