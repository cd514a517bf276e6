import Testing
@testable import CKL
import NN

@Suite struct TokenAlignmentTests {
    @Test func wordTokensMarkExactlyTheObjectWords() throws {
        let w = ProtocolFixtures.world
        let tok = try w.makeTokenizer(.word)
        let enc = UnitEncoder(tokenizer: tok)
        for u in w.toLearn + w.notToForget {
            let e = try enc.encode(u)
            let words = try tok.tokenStrings(e.evidence.ids)
            // Marked tokens = the object's words, once per occurrence.
            let marked = zip(words, e.evidence.objectTokens).filter(\.1).map(\.0)
            let objectWords = Words.split(u.object)
            #expect(marked == Array(Array(repeating: objectWords, count: u.evidenceObjectSpans.count).joined()))
            #expect(e.evidence.ids.first == tok.bosId && e.evidence.ids.last == tok.eosId)
            // The scored task tokens are the object at its last occurrence.
            let task = try tok.tokenStrings(Array(e.task[e.taskObject]))
            #expect(task == objectWords)
            #expect(e.taskObject.lowerBound >= 1)
        }
    }

    @Test func taskSpanIsTheLastOccurrence() throws {
        let u = try CKLUnit(relationCode: "P54", uuid: "u1", taskDescriptive: "Ka ro plays for Du na , not Du na .",
                            subject: "Ka ro", relationLabel: "member of sports team", object: "Du na",
                            evidence: "Ka ro plays for Du na .", invariant: false)
        let tok = TextTokenizer.word(try WordTokenizer(corpus: [u.taskDescriptive, u.evidence]))
        let e = try UnitEncoder(tokenizer: tok).encode(u)
        // <bos> Ka ro plays for Du na , not Du na . <eos>: the last "Du na" is at 9..<11.
        #expect(e.taskObject == 9..<11)
    }

    @Test func bpeTokensStraddlingTheObjectBoundaryCount() throws {
        let corpus = Array(repeating: "Libya maintains relations with Brazil and Zürich, Brazil again. The Brazilian way.", count: 20)
        let bpe = try BPETokenizer(corpus: corpus, vocabSize: 300)
        let text = "Libya maintains relations with Brazil and Zürich, Brazil again."
        let (ids, ranges) = try TokenAlignment.align(text, tokenizer: .bpe(bpe))
        #expect(ranges.count == ids.count)
        #expect(ranges.last?.upperBound == text.utf8.count)
        let spans = Words.occurrences(of: "Brazil", in: text).map(\.utf8)
        #expect(spans.count == 2)
        let marks = TokenAlignment.overlaps(ranges, spans: spans)
        let bytes = Array(text.utf8)
        for (r, m) in zip(ranges, marks) {
            let piece = String(decoding: bytes[r], as: UTF8.self)
            let inside = spans.contains { $0.overlaps(r) }
            #expect(m == inside, "\(piece)")
        }
        // Some marked token carries the space before the word (it straddles the boundary).
        #expect(zip(ranges, marks).contains { r, m in m && bytes[r.lowerBound] == UInt8(ascii: " ") })
        // Every byte of each occurrence is covered by a marked token.
        for s in spans { for b in s { #expect(zip(ranges, marks).contains { $0.contains(b) && $1 }) } }
        // Non-ASCII: "Zürich" is marked when it is the object.
        let z = TokenAlignment.overlaps(ranges, spans: Words.occurrences(of: "Zürich", in: text).map(\.utf8))
        let covered = zip(ranges, z).filter(\.1).map { String(decoding: bytes[$0.0], as: UTF8.self) }.joined()
        #expect(covered.trimmingCharacters(in: .whitespaces) == "Zürich")
    }

    @Test func bpeStraddlingTokenInsideOneChunk() {
        // A token range that covers bytes on both sides of the object's start counts as object.
        let marks = TokenAlignment.overlaps([0..<3, 3..<8, 8..<10], spans: [5..<9])
        #expect(marks == [false, true, true])
        #expect(TokenAlignment.overlaps([0..<0, 0..<2], spans: [0..<1]) == [false, true])
    }

    @Test func specialTokenSpellingInTextIsAnAlignmentErrorNotAShift() throws {
        let tok = TextTokenizer.word(try WordTokenizer(corpus: ["a b c"]))
        #expect(throws: CKLError.self) { try TokenAlignment.align("a <eos> b", tokenizer: tok) }
        let bpe = TextTokenizer.bpe(try BPETokenizer(corpus: ["a b c"], vocabSize: 262))
        #expect(throws: CKLError.self) { try TokenAlignment.align("a <eos> b", tokenizer: bpe) }
    }

    @Test func rowsKeepTheObjectMarksAlignedAcrossWindows() {
        let ids = Array(0..<10)
        let marks = ids.map { $0 == 4 || $0 == 8 }
        let rows = TrainingExample.rows(EncodedText(ids: ids, objectTokens: marks), context: 4)
        #expect(rows.map(\.ids) == [[0, 1, 2, 3, 4], [4, 5, 6, 7, 8], [8, 9]])
        for r in rows {
            for (j, m) in r.targetIsObject.enumerated() { #expect(m == (r.ids[j + 1] == 4 || r.ids[j + 1] == 8)) }
        }
    }
}
