import NN

/// Where each token of a text sits in the text, as UTF-8 byte ranges, so character spans
/// (an object's occurrences) map to token positions.
///
/// - Word tokenizer: tokens are runs of word characters and single punctuation characters
///   (the rule of `WordTokenizer`); their ranges come from walking the text by characters.
/// - Byte-level BPE: the tokens' bytes concatenate to the text's UTF-8 exactly, so each
///   token's range is the running sum of its byte lengths. A BPE token may straddle a word
///   boundary (" Paris" carries the space before the word).
///
/// The alignment is checked: a token count or byte total that disagrees with the tokenizer
/// (e.g. text containing a special-token spelling such as `<eos>`) is an error, never a
/// silently shifted mask.
public enum TokenAlignment {
    /// The token ids of `text` and the UTF-8 range of each.
    public static func align(_ text: String, tokenizer: TextTokenizer) throws(CKLError) -> (ids: [Int], ranges: [Range<Int>]) {
        let ids = tokenizer.encode(text)
        let ranges: [Range<Int>]
        switch tokenizer {
        case .word:
            ranges = wordRanges(text)
        case .bpe(let bpe):
            var r: [Range<Int>] = []
            r.reserveCapacity(ids.count)
            var at = 0
            for id in ids {
                let n = bpe.tokenBytes(id)?.count ?? 0
                r.append(at..<(at + n))
                at += n
            }
            guard at == text.utf8.count else {
                throw .alignment("the BPE tokens of a text cover \(at) of its \(text.utf8.count) bytes (does it contain a special token such as <eos>?)")
            }
            ranges = r
        }
        guard ranges.count == ids.count else {
            throw .alignment("found \(ranges.count) word pieces but the tokenizer made \(ids.count) tokens (does the text contain a special token such as <eos>?)")
        }
        return (ids, ranges)
    }

    /// UTF-8 ranges of the word tokenizer's pieces: runs of letters, digits and `_`, and
    /// single other non-space characters.
    static func wordRanges(_ text: String) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var at = 0
        var wordStart: Int? = nil
        for ch in text {
            let n = ch.utf8.count
            if ch.isLetter || ch.isNumber || ch == "_" {
                if wordStart == nil { wordStart = at }
            } else {
                if let s = wordStart { out.append(s..<at); wordStart = nil }
                if !ch.isWhitespace { out.append(at..<(at + n)) }
            }
            at += n
        }
        if let s = wordStart { out.append(s..<at) }
        return out
    }

    /// For each token range, whether it overlaps any of the spans (UTF-8 ranges). A token
    /// that covers part of an object (a BPE token straddling the word boundary) counts.
    public static func overlaps(_ ranges: [Range<Int>], spans: [Range<Int>]) -> [Bool] {
        ranges.map { r in
            !r.isEmpty && spans.contains { s in !s.isEmpty && r.lowerBound < s.upperBound && s.lowerBound < r.upperBound }
        }
    }
}
