import TensorCore

/// Generated entity names: 2–3 consonant–vowel syllables separated by spaces, the first one
/// capitalised ("Ka ro mi"). With a word tokenizer every syllable is one token, so all names
/// share one small token inventory and a new name is a new *sequence* of known tokens.
///
/// The forge keeps the set of names prefix-free (no name is a word-prefix of another) and
/// unique, so whole-word search for a name finds exactly that entity: a name is never the
/// start of a longer name, and names never sit next to each other in generated text.
public struct NameForge: Sendable {
    /// ~70 CV syllables: 15 consonants × 5 vowels, minus those that are English words of the
    /// templates ("be", "do", "go", "me", "no", "so", "to"), so a syllable token never
    /// occurs outside a name.
    public static let syllables: [String] = {
        let consonants = ["b", "d", "f", "g", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z"]
        let vowels = ["a", "e", "i", "o", "u"]
        let excluded: Set<String> = ["be", "do", "go", "me", "no", "so", "to"]
        return consonants.flatMap { c in vowels.map { c + $0 } }.filter { !excluded.contains($0) }
    }()

    /// The capitalised forms ("Ka"), the first word of every name.
    public static let capitalisedSyllables: [String] = syllables.map(capitalised)

    static func capitalised(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }

    private var names: Set<String> = []
    private var prefixes: Set<String> = []  // every proper word-prefix of every name

    public init() {}

    /// All names issued so far.
    public var issued: Set<String> { names }

    /// A fresh name of `syllableCount` syllables (2...3 typical) that keeps the set prefix-free.
    /// Throws only when the space is exhausted (far beyond the presets' sizes).
    public mutating func make(syllableCount: Int, rng: inout TaalmRNG) throws(CKLDataError) -> String {
        guard (1...6).contains(syllableCount) else {
            throw .invalidConfiguration("names have 1 to 6 syllables, not \(syllableCount)")
        }
        let inventory = Self.syllables
        for _ in 0..<10_000 {
            var parts: [String] = []
            for k in 0..<syllableCount {
                let s = inventory[rng.nextInt(below: inventory.count)]
                parts.append(k == 0 ? Self.capitalised(s) : s)
            }
            let name = parts.joined(separator: " ")
            if names.contains(name) || prefixes.contains(name) { continue }
            var ok = true
            for k in 1..<parts.count where names.contains(parts[0..<k].joined(separator: " ")) { ok = false; break }
            if !ok { continue }
            names.insert(name)
            for k in 1..<parts.count { prefixes.insert(parts[0..<k].joined(separator: " ")) }
            return name
        }
        throw .invalidConfiguration("could not find a fresh \(syllableCount)-syllable name; the world is too large")
    }

    /// A fresh name of 2 or 3 syllables (3 with probability `threeSyllableShare`).
    public mutating func make(rng: inout TaalmRNG, threeSyllableShare: Double = 0.5) throws(CKLDataError) -> String {
        let n = rng.nextUnit() < threeSyllableShare ? 3 : 2
        return try make(syllableCount: n, rng: &rng)
    }
}
