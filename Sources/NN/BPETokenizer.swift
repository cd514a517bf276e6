/// A byte-level BPE tokenizer (GPT-2 style) trained on a corpus.
///
/// Text is cut into chunks — an optional leading space plus a run of letters, of digits
/// or of other symbols, or a run of whitespace — and each chunk's UTF-8 bytes are merged
/// by the learned merges in rank order. Every byte is a token, so any text, any script,
/// round-trips exactly: `decode(encode(t)) == t`. Ids: 0–3 special tokens, 4–259 the 256
/// bytes, then one id per merge. Training is deterministic (ties broken by smallest pair).
public struct BPETokenizer: Tokenizer, Codable, Equatable {
    /// Learned merges in rank order: each pair of ids becomes id `260 + rank`.
    public let merges: [[Int]]
    private let ranks: [UInt64: Int]
    /// Bytes of every token (empty for special tokens).
    private let bytes: [[UInt8]]

    public static let byteOffset = 4
    public static let firstMergeId = 260

    /// Trains merges on `corpus` until the vocabulary has `vocabSize` tokens (or no pair
    /// occurs twice). `vocabSize` must be at least 260.
    public init(corpus: [String], vocabSize: Int) throws(NNError) {
        guard vocabSize >= Self.firstMergeId else {
            throw .tokenizer("a byte-level BPE vocabulary needs at least \(Self.firstMergeId) tokens (4 special + 256 bytes), got \(vocabSize)")
        }
        guard vocabSize <= 1 << 20 else { throw .tokenizer("vocabulary size \(vocabSize) is too large") }
        var chunkCounts: [String: Int] = [:]
        for doc in corpus {
            for piece in SpecialSplit.split(doc) {
                guard case .text(let t) = piece else { continue }
                for c in Self.chunks(t) { chunkCounts[c, default: 0] += 1 }
            }
        }
        // Deterministic word order (dictionary order is not).
        let sorted = chunkCounts.sorted { $0.key < $1.key }
        var words: [[Int32]] = sorted.map { $0.key.utf8.map { Int32($0) + Int32(Self.byteOffset) } }
        let freq: [Int] = sorted.map(\.value)
        var pairCount: [UInt64: Int] = [:]
        var pairWords: [UInt64: Set<Int32>] = [:]
        for (w, word) in words.enumerated() where word.count > 1 {
            for j in 0..<(word.count - 1) {
                let k = Self.key(word[j], word[j + 1])
                pairCount[k, default: 0] += freq[w]
                pairWords[k, default: []].insert(Int32(w))
            }
        }
        var merges: [[Int]] = []
        while Self.firstMergeId + merges.count < vocabSize {
            var best: UInt64 = 0, bestCount = 1
            for (k, c) in pairCount where c > bestCount || (c == bestCount && c > 1 && k < best) {
                best = k; bestCount = c
            }
            guard bestCount >= 2 else { break }
            let a = Int32(truncatingIfNeeded: best >> 32), b = Int32(truncatingIfNeeded: best & 0xFFFF_FFFF)
            let newId = Int32(Self.firstMergeId + merges.count)
            merges.append([Int(a), Int(b)])
            let affected = (pairWords[best] ?? []).sorted()
            for wi in affected {
                let w = Int(wi)
                let old = words[w]
                let f = freq[w]
                for j in 0..<(old.count - 1) {
                    let k = Self.key(old[j], old[j + 1])
                    pairCount[k, default: 0] -= f
                    if pairCount[k] == 0 { pairCount[k] = nil }
                }
                var merged: [Int32] = []
                merged.reserveCapacity(old.count)
                var j = 0
                while j < old.count {
                    if j + 1 < old.count && old[j] == a && old[j + 1] == b { merged.append(newId); j += 2 } else { merged.append(old[j]); j += 1 }
                }
                for j in 0..<Swift.max(old.count - 1, 0) {
                    let k = Self.key(old[j], old[j + 1])
                    if pairCount[k] == nil { pairWords[k] = nil }
                }
                if merged.count > 1 {
                    for j in 0..<(merged.count - 1) {
                        let k = Self.key(merged[j], merged[j + 1])
                        pairCount[k, default: 0] += f
                        pairWords[k, default: []].insert(wi)
                    }
                }
                words[w] = merged
            }
            pairCount[best] = nil
            pairWords[best] = nil
        }
        try self.init(merges: merges)
    }

    /// A tokenizer from its merges (as saved in a checkpoint); each merge must combine
    /// two existing ids.
    public init(merges: [[Int]]) throws(NNError) {
        var bytes: [[UInt8]] = Array(repeating: [], count: Self.byteOffset) + (0..<256).map { [UInt8($0)] }
        var ranks: [UInt64: Int] = [:]
        for (r, m) in merges.enumerated() {
            guard m.count == 2, m[0] >= Self.byteOffset, m[1] >= Self.byteOffset, m[0] < bytes.count, m[1] < bytes.count else {
                throw .tokenizer("merge \(r) (\(m)) does not combine two existing byte tokens")
            }
            let k = Self.key(Int32(m[0]), Int32(m[1]))
            guard ranks[k] == nil else { throw .tokenizer("merge \(r) (\(m)) appears twice") }
            ranks[k] = r
            bytes.append(bytes[m[0]] + bytes[m[1]])
        }
        self.merges = merges
        self.ranks = ranks
        self.bytes = bytes
    }

    enum CodingKeys: String, CodingKey { case merges }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(merges: c.decode([[Int]].self, forKey: .merges))
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(merges, forKey: .merges)
    }
    public static func == (a: BPETokenizer, b: BPETokenizer) -> Bool { a.merges == b.merges }

    public var vocabSize: Int { bytes.count }

    @inline(__always) static func key(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b)) }

    enum CharClass { case space, letter, digit, other }
    static func charClass(_ s: Unicode.Scalar) -> CharClass {
        if s.properties.isWhitespace { return .space }
        if s.properties.isAlphabetic || s.properties.generalCategory == .nonspacingMark || s.properties.generalCategory == .spacingMark { return .letter }
        if s.properties.numericType != nil { return .digit }
        return .other
    }

    /// The pre-tokenisation chunks of `text` (their concatenation is `text`).
    static func chunks(_ text: Substring) -> [String] {
        let sc = Array(text.unicodeScalars)
        var out: [String] = []
        var i = 0
        func str(_ lo: Int, _ hi: Int) -> String { var s = String.UnicodeScalarView(); s.append(contentsOf: sc[lo..<hi]); return String(s) }
        while i < sc.count {
            let c = charClass(sc[i])
            if c == .space {
                var j = i
                while j < sc.count && charClass(sc[j]) == .space { j += 1 }
                // A single space before a word joins the word (" Paris"); the rest stays whitespace.
                if j < sc.count && sc[j - 1] == " " {
                    if j - 1 > i { out.append(str(i, j - 1)) }
                    var k = j + 1
                    let wc = charClass(sc[j])
                    while k < sc.count && charClass(sc[k]) == wc { k += 1 }
                    out.append(str(j - 1, k))
                    i = k
                } else {
                    out.append(str(i, j))
                    i = j
                }
            } else {
                var k = i + 1
                while k < sc.count && charClass(sc[k]) == c { k += 1 }
                out.append(str(i, k))
                i = k
            }
        }
        return out
    }

    /// Ids of one chunk: its bytes, merged by rank until no learned pair remains.
    func encodeChunk(_ chunk: String) -> [Int] {
        var ids = chunk.utf8.map { Int32($0) + Int32(Self.byteOffset) }
        while ids.count > 1 {
            var bestRank = Int.max, bestJ = -1
            for j in 0..<(ids.count - 1) {
                if let r = ranks[Self.key(ids[j], ids[j + 1])], r < bestRank { bestRank = r; bestJ = j }
            }
            guard bestJ >= 0 else { break }
            let a = ids[bestJ], b = ids[bestJ + 1], newId = Int32(Self.firstMergeId + bestRank)
            var merged: [Int32] = []
            merged.reserveCapacity(ids.count)
            var j = 0
            while j < ids.count {
                if j + 1 < ids.count && ids[j] == a && ids[j + 1] == b { merged.append(newId); j += 2 } else { merged.append(ids[j]); j += 1 }
            }
            ids = merged
        }
        return ids.map(Int.init)
    }

    public func encode(_ text: String) -> [Int] {
        var out: [Int] = []
        var cache: [String: [Int]] = [:]
        for piece in SpecialSplit.split(text) {
            switch piece {
            case .special(let id): out.append(id)
            case .text(let t):
                for c in Self.chunks(t) {
                    if let hit = cache[c] { out += hit; continue }
                    let ids = encodeChunk(c)
                    cache[c] = ids
                    out += ids
                }
            }
        }
        return out
    }

    public func decode(_ ids: [Int]) throws(NNError) -> String {
        var buf: [UInt8] = []
        var out = ""
        for i in ids {
            guard i >= 0, i < bytes.count else { throw .tokenizer("token id \(i) is outside the vocabulary 0..<\(bytes.count)") }
            if i < Self.byteOffset {
                out += String(decoding: buf, as: UTF8.self); buf = []
                out += SpecialToken.allCases[i].rawValue
            } else {
                buf += bytes[i]
            }
        }
        return out + String(decoding: buf, as: UTF8.self)
    }

    /// The bytes of token `id` (empty for special tokens).
    public func tokenBytes(_ id: Int) -> [UInt8]? { id >= 0 && id < bytes.count ? bytes[id] : nil }

    public func tokenStrings(_ ids: [Int]) throws(NNError) -> [String] {
        var out: [String] = []
        for i in ids {
            guard i >= 0, i < bytes.count else { throw .tokenizer("token id \(i) is outside the vocabulary 0..<\(bytes.count)") }
            if i < Self.byteOffset { out.append(SpecialToken.allCases[i].rawValue); continue }
            let b = bytes[i]
            // A token may hold part of a multi-byte character: show such bytes as <xx>.
            var s: String
            if let valid = String(validating: b, as: UTF8.self) { s = valid } else { s = b.map { "<" + String($0, radix: 16, uppercase: true) + ">" }.joined() }
            s = s.replacingAll(" ", with: "▁").replacingAll("\n", with: "↵")
            out.append(s)
        }
        return out
    }

    public var description: String { "byte-level BPE tokenizer: \(vocabSize) tokens (\(merges.count) merges)" }
}

extension String {
    func replacingAll(_ a: String, with b: String) -> String {
        guard contains(a) else { return self }
        return split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
    }
}
