import Foundation
import Testing
@testable import NN

@Suite struct TokenizerTests {
    static let varied = [
        "Paris is the capital of France.",
        "Zürich, São Paulo and Kraków — naïve café façade.",
        "東京は日本の首都です。北京是中国的首都。",
        "Москва — столица России; Αθήνα είναι η πρωτεύουσα.",
        "Emoji 🙂👍🏽 and flags 🇫🇷, math ∑∫√ ≤ ≥, tabs\tand\nnewlines  double  spaces ",
        "Numbers 1,234.56 and 2024-11-29; code: let x = f(y[0]) + 3*z;",
        "  leading spaces, trailing!!!   ",
        "",
    ]

    /// Real Wikipedia text from the LAMA-ckl evidence when available (skipped otherwise).
    static func wikipedia(limit: Int = 200) -> [String] {
        guard let folder = ProcessInfo.processInfo.environment["TAALM_LAMA_CKL"] else { return [] }
        let path = folder + "/to_learn.jsonl"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").prefix(limit).compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) .flatMap { ($0 as? [String: Any])?["evidence"] as? String }
        }
    }

    /// Encyclopedia-like English sentences built from a few templates: the repetition real
    /// text has, so merges have something to compress without any data files.
    static let english: [String] = {
        let people = ["Maria Lopez", "John Carter", "Anna Berg", "Peter Novak", "Lena Fischer", "Omar Haddad"]
        let places = ["Madrid", "Boston", "Stockholm", "Prague", "Hamburg", "Beirut"]
        let jobs = ["footballer", "politician", "composer", "physicist", "novelist", "architect"]
        var out: [String] = []
        for (i, p) in people.enumerated() {
            for (j, c) in places.enumerated() {
                out.append("\(p) is a \(jobs[(i + j) % jobs.count]) who was born in \(c) in \(1950 + 7 * i + j). "
                    + "In \(1980 + i + 3 * j), \(p) moved to \(places[(i + j + 1) % places.count]) and joined the national team.")
            }
        }
        return out
    }()

    @Test func bpeRoundTripsVariedText() throws {
        let corpus = Self.varied + Self.english + Self.wikipedia()
        let tok = try BPETokenizer(corpus: corpus, vocabSize: 600)
        #expect(tok.vocabSize > 300)
        for t in corpus {
            let ids = tok.encode(t)
            #expect(try tok.decode(ids) == t)
            #expect(ids.allSatisfy { $0 >= 0 && $0 < tok.vocabSize })
        }
        // Unseen text with unseen scripts still round-trips (bytes).
        let unseen = "ქართული ენა • हिन्दी • 한국어 • 🧪"
        #expect(try tok.decode(tok.encode(unseen)) == unseen)
        // Merges compress: fewer tokens than bytes on the training text.
        let joined = corpus.joined(separator: " ")
        #expect(tok.encode(joined).count < joined.utf8.count * 2 / 3)
    }

    /// The full LAMA-ckl TO-LEARN evidence (real Wikipedia text), vocabulary 2000.
    @Test func bpeOnRealWikipediaEvidence() throws {
        let docs = Self.wikipedia(limit: 500)
        guard !docs.isEmpty else { print("skipped: LAMA-ckl data not found (set TAALM_LAMA_CKL)"); return }
        let clock = ContinuousClock(), t0 = clock.now
        let tok = try BPETokenizer(corpus: docs, vocabSize: 2000)
        let trained = clock.now - t0
        #expect(tok.vocabSize == 2000)
        var tokens = 0, bytes = 0
        for d in docs {
            let ids = tok.encode(d)
            #expect(try tok.decode(ids) == d)
            tokens += ids.count; bytes += d.utf8.count
        }
        print("BPE on \(docs.count) evidence texts (\(bytes) bytes): trained in \(trained), \(String(format: "%.2f", Double(bytes) / Double(tokens))) bytes/token")
        #expect(Double(bytes) / Double(tokens) > 2.5)
    }

    @Test func bpeIsDeterministicAndSerialises() throws {
        let corpus = Self.varied + Self.wikipedia().prefix(50)
        let a = try BPETokenizer(corpus: corpus, vocabSize: 400), b = try BPETokenizer(corpus: corpus, vocabSize: 400)
        #expect(a.merges == b.merges)
        let data = try JSONEncoder().encode(TextTokenizer.bpe(a))
        let back = try JSONDecoder().decode(TextTokenizer.self, from: data)
        #expect(back == .bpe(a))
        #expect(back.encode(Self.varied[1]) == a.encode(Self.varied[1]))
    }

    @Test func bpeDisplayShowsBoundaries() throws {
        let tok = try BPETokenizer(corpus: Array(repeating: "Paris is the capital of France. Paris is big.", count: 20), vocabSize: 300)
        let shown = tok.display("Paris is the")
        #expect(shown == "Paris|▁is|▁the", "got \(shown)")
        #expect(throws: NNError.self) { try tok.decode([100_000]) }
        #expect(throws: NNError.self) { try BPETokenizer(corpus: ["x"], vocabSize: 10) }
    }

    @Test func specialTokensAreRecognised() throws {
        let tok = try BPETokenizer(corpus: ["hello world"], vocabSize: 270)
        let ids = tok.encode("<bos>hello<eos>")
        #expect(ids.first == SpecialToken.bos.id && ids.last == SpecialToken.eos.id)
        #expect(try tok.decode(ids) == "<bos>hello<eos>")
    }

    @Test func wordTokenizerRoundTrips() throws {
        let corpus = ["Alice lives in Paris.", "Bob, who plays for Zürich FC, lives in São Paulo!", "東京 is big (really)."]
        let tok = try WordTokenizer(corpus: corpus)
        #expect(Array(tok.vocabulary.prefix(4)) == ["<pad>", "<bos>", "<eos>", "<unk>"])
        for t in corpus {
            let ids = tok.encode(t)
            #expect(!ids.contains(SpecialToken.unk.id))
            #expect(try tok.decode(ids) == t)
            #expect(tok.encode(try tok.decode(ids)) == ids)
        }
        #expect(tok.encode("Alice lives in Berlin.")[3] == SpecialToken.unk.id)
        #expect(tok.display("Alice lives in Paris.") == "Alice|lives|in|Paris|.")
        let a = try WordTokenizer(corpus: corpus), b = try WordTokenizer(corpus: corpus.reversed())
        #expect(a.vocabulary == b.vocabulary)
        let limited = try WordTokenizer(corpus: corpus, maxVocab: 6)
        #expect(limited.vocabSize == 6)
        #expect(throws: NNError.self) { try tok.decode([-1]) }
        #expect(throws: NNError.self) { try WordTokenizer(vocabulary: ["a", "b"]) }
    }
}
