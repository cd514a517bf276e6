import TensorCore

/// Filler for evidence documents: sentences about other people, cities, dates, numbers,
/// lists and hobbies, and the slot values ({YEAR}, {NUM}, ...) of every template.
///
/// Distractors only mention background entities (background people and known cities), never
/// a unit's subject or object, so the object's words stay a small, known share of a document.
enum Distractors {
    static let templates: [String] = [
        "{P} moved to {CITY} in {YEAR} and opened a small shop .",
        "{P} lives in a small house near {CITY} with {NUM} cats .",
        "On {DAY} {MONTH} {YEAR} , {P} opened a bakery in {CITY} .",
        "The town of {CITY} has about {NUM} thousand people and a busy port .",
        "{P} visited {CITY} , {CITY} and {CITY} during a long trip .",
        "In the evenings , {P} enjoys {HOBBY} and {HOBBY} .",
        "{P} has collected {NUM} old maps and {NUM} coins since {YEAR} .",
        "The menu in {CITY} lists bread , cheese , soup and tea .",
        "It rained for {NUM} days in {CITY} in {MONTH} .",
        "{P} and {P} met at a market in {CITY} last {MONTH} .",
        "Local papers in {CITY} wrote about the storm of {YEAR} .",
        "{P} , a neighbour , likes {HOBBY} on weekends and {HOBBY} in winter .",
    ]
    static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                         "September", "October", "November", "December"]
    static let hobbies = ["chess", "painting", "fishing", "cycling", "gardening", "swimming",
                          "cooking", "hiking", "dancing", "reading"]
}

/// The pools a template's slots draw from.
struct SlotPools {
    var cities: [String]
    var people: [String]
}

/// Renders templates. Slots are whole words: `{S}`, `{O}`, `{P}` (a background person),
/// `{CITY}`, `{YEAR}` (1960–2009), `{NUM}` (2–30), `{DAY}` (1–28), `{MONTH}`, `{HOBBY}`,
/// `{APPOS}`. Repeated `{CITY}` / `{P}` / `{HOBBY}` slots in one sentence get distinct values
/// when the pool allows.
struct TemplateRenderer {
    let pools: SlotPools

    func render(_ template: String, subject: String = "", object: String = "", appositives: [String] = [],
                rng: inout TaalmRNG) -> String {
        var used: [String: Set<String>] = [:]
        func pick(_ slot: String, _ pool: [String], _ rng: inout TaalmRNG) -> String {
            guard !pool.isEmpty else { return "" }
            var choice = pool[rng.nextInt(below: pool.count)]
            var tries = 0
            while used[slot, default: []].contains(choice), tries < 8 {
                choice = pool[rng.nextInt(below: pool.count)]
                tries += 1
            }
            used[slot, default: []].insert(choice)
            return choice
        }
        var words: [String] = []
        for w in template.split(separator: " ") {
            switch w {
            case "{S}": words.append(subject)
            case "{O}": words.append(object)
            case "{P}": words.append(pick("P", pools.people, &rng))
            case "{CITY}": words.append(pick("CITY", pools.cities, &rng))
            case "{YEAR}": words.append(String(1960 + rng.nextInt(below: 50)))
            case "{NUM}": words.append(String(2 + rng.nextInt(below: 29)))
            case "{DAY}": words.append(String(1 + rng.nextInt(below: 28)))
            case "{MONTH}": words.append(Distractors.months[rng.nextInt(below: 12)])
            case "{HOBBY}": words.append(pick("HOBBY", Distractors.hobbies, &rng))
            case "{APPOS}":
                let a = appositives.isEmpty ? "a local person" : appositives[rng.nextInt(below: appositives.count)]
                words.append(render(a, rng: &rng))
            default: words.append(String(w))
            }
        }
        var sentence = words.joined(separator: " ")
        // Capitalise a sentence that starts with a lowercase English word.
        if let first = sentence.first, first.isLowercase {
            sentence = first.uppercased() + sentence.dropFirst()
        }
        return sentence
    }

    /// `count` distinct distractor sentences.
    func distractors(_ count: Int, rng: inout TaalmRNG) -> [String] {
        var chosen: [Int] = []
        let n = Distractors.templates.count
        while chosen.count < min(count, n) {
            let k = rng.nextInt(below: n)
            if !chosen.contains(k) { chosen.append(k) }
        }
        return chosen.map { render(Distractors.templates[$0], rng: &rng) }
    }
}
