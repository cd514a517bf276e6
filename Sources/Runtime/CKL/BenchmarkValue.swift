import CKL
import Language
import NN

/// A LAMA-ckl benchmark as a taalm value: its splits as lists of units, its statistics, and
/// (cached) its units in a model's tokens.
public final class BenchmarkValue: NativeObject {
    public let benchmark: LamaCKLBenchmark
    /// The preset it was generated from ("tiny", "small", "paper"), if any.
    public let preset: String?
    private var encoded: (TextTokenizer, EncodedCKLData)?

    public init(_ benchmark: LamaCKLBenchmark, preset: String?) {
        self.benchmark = benchmark
        self.preset = preset
    }

    /// The units in `tokenizer`'s tokens (computed once per tokenizer).
    func data(for tokenizer: TextTokenizer) throws(CKLError) -> EncodedCKLData {
        if let (t, d) = encoded, t == tokenizer { return d }
        let d = try EncodedCKLData(benchmark, tokenizer: tokenizer)
        encoded = (tokenizer, d)
        return d
    }

    public var typeName: String { "lama_ckl" }
    public var doc: String {
        "A LAMA-ckl benchmark. Members: name, to_learn, not_to_forget, meta, skill (lists of units), corpus (pretraining texts), stats."
    }
    public var shortSummary: String {
        "lama_ckl: \(benchmark.toLearn.count) TO-LEARN, \(benchmark.notToForget.count) NOT-TO-FORGET"
    }
    public var memberNames: [String] { ["name", "to_learn", "not_to_forget", "meta", "skill", "corpus", "stats"] }
    public func display(_ ctx: DisplayContext) -> String { benchmark.description }

    public func member(_ name: String, _ ctx: CallContext) throws(NativeError) -> Value? {
        func units(_ us: [CKLUnit]) -> Value { .makeList(us.map { .object(UnitValue($0)) }) }
        switch name {
        case "name": return .string(benchmark.name)
        case "to_learn": return units(benchmark.toLearn)
        case "not_to_forget": return units(benchmark.notToForget)
        case "meta": return units(benchmark.meta)
        case "skill": return units(benchmark.skill)
        case "corpus": return .makeList(benchmark.pretrainingCorpus.map { .string($0.text) })
        case "stats":
            let s = benchmark.statistics
            return .makeRecord(s.splits.map { x in
                (x.name.lowercased().replacingOccurrences(of: "-", with: "_"), Value.makeRecord([
                    ("units", .number(Double(x.units))), ("words_per_doc", .number(x.meanEvidenceWords)),
                    ("object_fraction", .number(x.objectWordFraction)), ("object_words", .number(x.meanObjectWords)),
                ]))
            } + [("corpus_documents", .number(Double(s.corpusDocuments))), ("vocabulary", .number(Double(s.vocabularySize)))])
        default: return nil
        }
    }
}

/// One CKL unit as a taalm value (displayed with its object marked ⟦…⟧).
public final class UnitValue: NativeObject {
    public let unit: CKLUnit
    public init(_ unit: CKLUnit) { self.unit = unit }

    public var typeName: String { "ckl_unit" }
    public var doc: String { "A CKL unit. Members: subject, relation, object, evidence, task, uuid, invariant, object_fraction." }
    public var shortSummary: String { "unit: \(unit.taskDescriptive)" }
    public var memberNames: [String] { ["subject", "relation", "object", "evidence", "task", "uuid", "invariant", "object_fraction"] }
    public func display(_ ctx: DisplayContext) -> String { unit.description }

    public func member(_ name: String, _ ctx: CallContext) throws(NativeError) -> Value? {
        switch name {
        case "subject": return .string(unit.subject)
        case "relation": return .string(unit.relationLabel)
        case "object": return .string(unit.object)
        case "evidence": return .string(unit.evidence)
        case "task": return .string(unit.taskDescriptive)
        case "uuid": return .string(unit.uuid)
        case "invariant": return .bool(unit.invariant)
        case "object_fraction": return .number(unit.objectWordFraction)
        default: return nil
        }
    }
}

/// A TemporalWiki-style benchmark as a taalm value.
public final class TemporalBenchmarkValue: NativeObject {
    public let benchmark: TemporalWikiBenchmark
    public init(_ benchmark: TemporalWikiBenchmark) { self.benchmark = benchmark }

    public var typeName: String { "temporal_wiki" }
    public var doc: String {
        "A TemporalWiki-style world. Members: name, periods (records of documents, changed, unchanged), base_documents; "
            + "meta(count: 200, seed: 0): META examples for Train-Attention (counterfactual changes of facts no period changes)."
    }
    public var shortSummary: String { "temporal_wiki: \(benchmark.periods.count) periods" }
    public var memberNames: [String] { ["name", "periods", "base_documents", "meta"] }
    public func display(_ ctx: DisplayContext) -> String { benchmark.description }

    public func member(_ name: String, _ ctx: CallContext) throws(NativeError) -> Value? {
        switch name {
        case "name": return .string(benchmark.name)
        case "base_documents": return .makeList(benchmark.baseDocuments.map { .string($0.text) })
        case "meta":
            let b = benchmark
            return .native(NativeFunction("meta", doc: """
                world.meta(count: 200, seed: 0): META examples {document, task, object, previous} for meta_train: a \
                time-variant fact that no period changes is moved to another of the world's objects in its person's base \
                article, and the task asks for the new object (a period's change in miniature, outside the changes measured).
                """, params: [Param("count", default: .number(200)), Param("seed", default: .number(0))]) { args, _ throws(NativeError) in
                let count = try CKLOptions.int(args[0], "meta", "count", range: 1...100_000) ?? 200
                let seed = try CKLOptions.seed(args[1], "meta") ?? 0
                return .makeList(b.metaExamples(count: count, seed: seed).map { e in
                    .makeRecord([("document", .string(e.document)), ("task", .string(e.task)), ("object", .string(e.object)),
                                 ("previous", .string(e.previousObject))])
                })
            })
        case "periods":
            return .makeList(benchmark.periods.map { p in
                .makeRecord([
                    ("period", .number(Double(p.index))),
                    ("documents", .makeList(p.documents.map { .string($0.text) })),
                    ("changed", .makeList(p.changed.map { .string($0.description) })),
                    ("unchanged", .number(Double(p.unchanged.count))),
                ])
            })
        default: return nil
        }
    }
}
