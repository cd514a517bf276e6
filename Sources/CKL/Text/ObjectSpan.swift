/// Where a fact's object sits inside a text, in the three coordinates a consumer needs.
///
/// - `characters`: Unicode scalar (code point) offsets, the unit of Python strings and of the
///   released `position` / `evidence_length` fields;
/// - `utf8`: byte offsets, for byte-level tokenizers (BPE) that report byte offsets;
/// - `words`: indices into the text's whitespace-separated words (`Words.split`). Generated
///   texts put spaces around punctuation, so there the words are exactly the object's words
///   (`isWordAligned`); in real text a word may carry punctuation ("Brazil,"), and `words`
///   then covers every word the object touches.
public struct ObjectSpan: Hashable, Sendable, CustomStringConvertible {
    public let characters: Range<Int>
    public let utf8: Range<Int>
    public let words: Range<Int>
    /// True when the object's characters are exactly the characters of `words`.
    public let isWordAligned: Bool

    public init(characters: Range<Int>, utf8: Range<Int>, words: Range<Int>, isWordAligned: Bool) {
        self.characters = characters
        self.utf8 = utf8
        self.words = words
        self.isWordAligned = isWordAligned
    }

    public var description: String {
        "chars \(characters.lowerBound)..<\(characters.upperBound), words \(words.lowerBound)..<\(words.upperBound)"
            + (isWordAligned ? "" : " (not word-aligned)")
    }
}

/// Word splitting and object search shared by the generated world, the loader and the metrics.
public enum Words {
    /// The text's words: maximal runs of non-whitespace characters.
    public static func split(_ text: String) -> [String] {
        text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
    }

    /// Every occurrence of `object` in `text` that starts and ends at a word boundary (the
    /// neighbouring characters are not letters or digits), left to right, non-overlapping.
    /// An empty object has no occurrences.
    public static func occurrences(of object: String, in text: String) -> [ObjectSpan] {
        let hay = Array(text.unicodeScalars)
        let needle = Array(object.unicodeScalars)
        guard !needle.isEmpty, needle.count <= hay.count else { return [] }
        // UTF-8 offset of every scalar, and the word index of every scalar (nil on spaces).
        var utf8Offset = [Int](repeating: 0, count: hay.count + 1)
        var wordOf = [Int?](repeating: nil, count: hay.count)
        var word = -1
        var inWord = false
        for (k, u) in hay.enumerated() {
            utf8Offset[k + 1] = utf8Offset[k] + UTF8.width(u)
            if u.properties.isWhitespace {
                inWord = false
            } else {
                if !inWord { word += 1; inWord = true }
                wordOf[k] = word
            }
        }
        func isWordChar(_ u: Unicode.Scalar) -> Bool {
            u.properties.isAlphabetic || u.properties.numericType != nil
        }
        var spans: [ObjectSpan] = []
        var start = 0
        while start + needle.count <= hay.count {
            var match = true
            for k in 0..<needle.count where hay[start + k] != needle[k] { match = false; break }
            let end = start + needle.count
            if match,
               start == 0 || !(isWordChar(hay[start - 1]) && isWordChar(needle[0])),
               end == hay.count || !(isWordChar(hay[end]) && isWordChar(needle[needle.count - 1])) {
                let firstWord = (start..<end).lazy.compactMap { wordOf[$0] }.first
                let lastWord = (start..<end).reversed().lazy.compactMap { wordOf[$0] }.first
                if let fw = firstWord, let lw = lastWord {
                    let beforeOK = start == 0 || hay[start - 1].properties.isWhitespace
                    let afterOK = end == hay.count || hay[end].properties.isWhitespace
                    spans.append(ObjectSpan(
                        characters: start..<end,
                        utf8: utf8Offset[start]..<utf8Offset[end],
                        words: fw..<(lw + 1),
                        isWordAligned: beforeOK && afterOK))
                }
                start = end
            } else {
                start += 1
            }
        }
        return spans
    }

    /// The last occurrence (the one the task metric scores), or nil.
    public static func lastOccurrence(of object: String, in text: String) -> ObjectSpan? {
        occurrences(of: object, in: text).last
    }
}
