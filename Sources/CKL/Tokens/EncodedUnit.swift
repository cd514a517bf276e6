import NN

/// A text as the model reads it — `<bos>` tokens `<eos>` — with the positions of the
/// fact's object tokens marked (every occurrence: what oracle weighting selects).
public struct EncodedText: Sendable, Hashable {
    /// Token ids, starting with `<bos>` and ending with `<eos>`.
    public let ids: [Int]
    /// Per position of `ids`: true on a token that overlaps an object occurrence.
    public let objectTokens: [Bool]

    public init(ids: [Int], objectTokens: [Bool]) {
        self.ids = ids
        self.objectTokens = objectTokens
    }

    /// Number of object tokens.
    public var objectTokenCount: Int { objectTokens.filter { $0 }.count }
}

/// A CKL unit in tokens: the evidence to train on (object tokens marked) and the task
/// sentence to test, with the positions of the object's tokens at its LAST occurrence in
/// the task sentence (the tokens the accuracy metric scores).
public struct EncodedUnit: Sendable, Hashable {
    public let uuid: String
    public let evidence: EncodedText
    /// `<bos>` task tokens `<eos>`.
    public let task: [Int]
    /// Positions in `task` of the scored object tokens (non-empty, ≥ 1).
    public let taskObject: Range<Int>

    public init(uuid: String, evidence: EncodedText, task: [Int], taskObject: Range<Int>) {
        self.uuid = uuid
        self.evidence = evidence
        self.task = task
        self.taskObject = taskObject
    }
}

/// Turns texts and units into model tokens with a fixed tokenizer.
public struct UnitEncoder: Sendable {
    public let tokenizer: TextTokenizer

    public init(tokenizer: TextTokenizer) { self.tokenizer = tokenizer }

    /// `<bos>` text `<eos>` with the tokens overlapping `spans` (UTF-8 ranges) marked.
    public func encode(_ text: String, objectSpans spans: [Range<Int>]) throws(CKLError) -> EncodedText {
        let (ids, ranges) = try TokenAlignment.align(text, tokenizer: tokenizer)
        let marks = TokenAlignment.overlaps(ranges, spans: spans)
        return EncodedText(ids: [tokenizer.bosId] + ids + [tokenizer.eosId], objectTokens: [false] + marks + [false])
    }

    /// `<bos>` text `<eos>` with every whole-word occurrence of `object` marked.
    public func encode(_ text: String, object: String?) throws(CKLError) -> EncodedText {
        let spans = object.map { Words.occurrences(of: $0, in: text).map(\.utf8) } ?? []
        return try encode(text, objectSpans: spans)
    }

    /// A task sentence and the positions of the object tokens at `span` (its scored occurrence).
    public func encodeTask(_ sentence: String, span: ObjectSpan) throws(CKLError) -> (ids: [Int], object: Range<Int>) {
        let t = try encode(sentence, objectSpans: [span.utf8])
        guard let first = t.objectTokens.firstIndex(of: true), let last = t.objectTokens.lastIndex(of: true) else {
            throw .alignment("no token of \"\(sentence)\" covers its object")
        }
        return (t.ids, first..<(last + 1))
    }

    public func encode(_ unit: CKLUnit) throws(CKLError) -> EncodedUnit {
        let evidence = try encode(unit.evidence, objectSpans: unit.evidenceObjectSpans.map(\.utf8))
        let (task, object) = try encodeTask(unit.taskDescriptive, span: unit.taskObjectSpan)
        return EncodedUnit(uuid: unit.uuid, evidence: evidence, task: task, taskObject: object)
    }

    public func encode(_ units: [CKLUnit]) throws(CKLError) -> [EncodedUnit] {
        var out: [EncodedUnit] = []
        out.reserveCapacity(units.count)
        for u in units { out.append(try encode(u)) }
        return out
    }
}

/// Which tokenizer a benchmark gets.
public enum TokenizerChoice: Sendable, Hashable, CustomStringConvertible {
    /// Word-level for generated worlds (names are space-separated syllables, punctuation is
    /// spaced), byte-level BPE with 2048 tokens for real text.
    case automatic
    case word
    case bpe(vocabSize: Int)

    public var description: String {
        switch self {
        case .automatic: return "automatic"
        case .word: return "word"
        case .bpe(let n): return "bpe(\(n))"
        }
    }
}

extension LamaCKLBenchmark {
    /// Every text of the benchmark once, in a fixed order: the pretraining corpus, then each
    /// unit's evidence and task sentence (the tokenizer's training text; a vocabulary
    /// carries no facts).
    public var allTexts: [String] {
        var seen = Set<String>()
        var out: [String] = []
        for t in pretrainingCorpus.map(\.text) + allUnits.flatMap({ [$0.evidence, $0.taskDescriptive] }) where seen.insert(t).inserted {
            out.append(t)
        }
        return out
    }

    /// True for a generated world (or a saved one whose objects are all word-aligned).
    var isWordWorld: Bool {
        if case .generated = origin { return true }
        if case .released = origin { return false }
        return allUnits.allSatisfy { u in u.taskObjectSpan.isWordAligned && u.evidenceObjectSpans.allSatisfy(\.isWordAligned) }
    }

    /// The tokenizer for this benchmark (see `TokenizerChoice`).
    public func makeTokenizer(_ choice: TokenizerChoice = .automatic) throws(CKLError) -> TextTokenizer {
        let texts = allTexts
        switch choice {
        case .word:
            return .word(try model { () throws(NNError) in try WordTokenizer(corpus: texts) })
        case .bpe(let n):
            return .bpe(try model { () throws(NNError) in try BPETokenizer(corpus: texts, vocabSize: n) })
        case .automatic:
            return try makeTokenizer(isWordWorld ? .word : .bpe(vocabSize: 2048))
        }
    }
}
