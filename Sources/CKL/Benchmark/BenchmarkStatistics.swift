/// Measured sizes of a split: units, evidence length in words, object share.
public struct SplitStatistics: Hashable, Sendable {
    public let name: String
    public let units: Int
    public let invariantUnits: Int
    public let relations: Int
    public let meanEvidenceWords: Double
    public let minEvidenceWords: Int
    public let maxEvidenceWords: Int
    /// Words inside object occurrences ÷ all evidence words, over the whole split.
    public let objectWordFraction: Double
    /// Mean number of words in an object name.
    public let meanObjectWords: Double
    /// Mean number of object occurrences per evidence document.
    public let meanObjectMentions: Double

    public init(name: String, units: [CKLUnit]) {
        self.name = name
        self.units = units.count
        invariantUnits = units.filter(\.invariant).count
        relations = Set(units.map(\.relationCode)).count
        let lengths = units.map { $0.evidenceWords.count }
        let total = lengths.reduce(0, +)
        meanEvidenceWords = units.isEmpty ? 0 : Double(total) / Double(units.count)
        minEvidenceWords = lengths.min() ?? 0
        maxEvidenceWords = lengths.max() ?? 0
        var covered = 0
        for u in units { covered += Set(u.evidenceObjectSpans.flatMap { Array($0.words) }).count }
        objectWordFraction = total == 0 ? 0 : Double(covered) / Double(total)
        meanObjectWords = units.isEmpty ? 0
            : Double(units.map { Words.split($0.object).count }.reduce(0, +)) / Double(units.count)
        meanObjectMentions = units.isEmpty ? 0
            : Double(units.map(\.evidenceObjectSpans.count).reduce(0, +)) / Double(units.count)
    }
}

/// Measured sizes of a whole benchmark.
public struct BenchmarkStatistics: Hashable, Sendable {
    public let splits: [SplitStatistics]
    public let corpusDocuments: Int
    public let corpusWords: Int
    /// Distinct words over the pretraining corpus and every unit's evidence and task.
    public let vocabularySize: Int

    public init(_ b: LamaCKLBenchmark) {
        splits = b.splits.map { SplitStatistics(name: $0.name, units: $0.units) }
        corpusDocuments = b.pretrainingCorpus.count
        var words = Set<String>()
        var n = 0
        for d in b.pretrainingCorpus {
            let w = Words.split(d.text)
            n += w.count
            words.formUnion(w)
        }
        corpusWords = n
        for u in b.allUnits {
            words.formUnion(u.evidenceWords)
            words.formUnion(u.taskWords)
        }
        vocabularySize = words.count
    }

    /// The statistics of the split with this name ("TO-LEARN", ...).
    public func split(_ name: String) -> SplitStatistics? { splits.first { $0.name == name } }
}

extension LamaCKLBenchmark {
    public var statistics: BenchmarkStatistics { BenchmarkStatistics(self) }
}
