/// The kinds of entity in a generated world. Every subject is a person; objects are places,
/// organisations and groups.
public enum EntityType: String, Hashable, Sendable, CaseIterable {
    case person, city, country, university, team, company, band

    /// Sentences that mention an object of this type again ("{O}" is the object), used in
    /// half of the evidence documents so the object appears twice.
    var mentionTemplates: [String] {
        switch self {
        case .person: ["{O} is well known in {CITY} ."]
        case .city: ["{O} is known for its old harbour and its markets .",
                     "Every summer , {O} hosts a large music festival .",
                     "The streets of {O} are busy in {MONTH} ."]
        case .country: ["{O} has a long coast and many small islands .",
                        "The economy of {O} grew quickly after {YEAR} .",
                        "Most people in {O} live near the rivers ."]
        case .university: ["{O} was founded in {YEAR} and has a large library .",
                           "About {NUM} thousand students attend {O} .",
                           "The main building of {O} stands near a park ."]
        case .team: ["{O} won the national cup in {YEAR} .",
                     "The fans of {O} sing during every home game .",
                     "{O} trains on a field outside {CITY} ."]
        case .company: ["{O} makes engines , tools and small boats .",
                        "{O} was founded in {YEAR} in {CITY} .",
                        "Around {NUM} hundred people work at {O} ."]
        case .band: ["{O} released a new album in {YEAR} .",
                     "The first concert of {O} was sold out .",
                     "{O} plays loud songs about the sea ."]
        }
    }
}

/// A relation of the generated world: its Wikidata-style code and label (as in LAMA-ckl),
/// the object type, whether it is time-invariant, the task template and the evidence
/// templates.
///
/// Evidence templates follow the reference study: three contain the task's relation phrase
/// right after the subject; one interrupts it with an appositive ("{S} , {APPOS} , plays for
/// {O} ."), so the document is not a copy of the task sentence.
public struct RelationSchema: Hashable, Sendable {
    public let key: String
    public let code: String
    public let label: String
    public let objectType: EntityType
    public let invariant: Bool
    /// The words between subject and object in the task sentence ("plays for").
    public let phrase: String
    let evidenceTemplates: [String]
    let appositives: [String]

    /// The task sentence template: "{S} <phrase> {O} .".
    public var taskTemplate: String { "{S} \(phrase) {O} ." }

    /// The task sentence for a fact.
    public func task(subject: String, object: String) -> String { "\(subject) \(phrase) \(object) ." }

    /// The six relations of the generated world (three invariant, three variant).
    public static let all: [RelationSchema] = [
        RelationSchema(
            key: "born_in", code: "P19", label: "place of birth", objectType: .city, invariant: true,
            phrase: "was born in",
            evidenceTemplates: [
                "{S} was born in {O} in {YEAR} .",
                "According to the town records , {S} was born in {O} .",
                "{S} was born in {O} and spent a happy childhood there .",
                "{S} , {APPOS} , was born in {O} .",
            ],
            appositives: ["the eldest of {NUM} children", "a quiet child", "the son of a baker",
                          "the daughter of a teacher"]),
        RelationSchema(
            key: "citizen_of", code: "P27", label: "country of citizenship", objectType: .country, invariant: true,
            phrase: "is a citizen of",
            evidenceTemplates: [
                "{S} is a citizen of {O} and votes in every election .",
                "Like the rest of the family , {S} is a citizen of {O} .",
                "Officials confirmed in {YEAR} that {S} is a citizen of {O} .",
                "{S} , {APPOS} , is a citizen of {O} .",
            ],
            appositives: ["a well known writer", "a retired judge", "a former sailor", "a busy lawyer"]),
        RelationSchema(
            key: "studied_at", code: "P69", label: "educated at", objectType: .university, invariant: true,
            phrase: "studied at",
            evidenceTemplates: [
                "{S} studied at {O} for four years .",
                "In {YEAR} , {S} studied at {O} .",
                "As a young adult , {S} studied at {O} and read many books .",
                "{S} , {APPOS} , studied at {O} .",
            ],
            appositives: ["a curious student", "a gifted chemist", "the first in the family", "a keen reader"]),
        RelationSchema(
            key: "plays_for", code: "P54", label: "member of sports team", objectType: .team, invariant: false,
            phrase: "plays for",
            evidenceTemplates: [
                "{S} plays for {O} as a forward .",
                "Since {YEAR} , {S} plays for {O} .",
                "This season {S} plays for {O} and scores often .",
                "{S} , {APPOS} , plays for {O} .",
            ],
            appositives: ["a young forward", "a fast defender", "a tall goalkeeper", "the new captain"]),
        RelationSchema(
            key: "works_for", code: "P108", label: "employer", objectType: .company, invariant: false,
            phrase: "works for",
            evidenceTemplates: [
                "{S} works for {O} as an engineer .",
                "Since {YEAR} , {S} works for {O} .",
                "Friends say that {S} works for {O} in {CITY} .",
                "{S} , {APPOS} , works for {O} .",
            ],
            appositives: ["a skilled engineer", "a careful accountant", "a night manager", "a new designer"]),
        RelationSchema(
            key: "member_of", code: "P463", label: "member of", objectType: .band, invariant: false,
            phrase: "is a member of",
            evidenceTemplates: [
                "{S} is a member of {O} and plays the drums .",
                "Since {YEAR} , {S} is a member of {O} .",
                "On stage tonight , {S} is a member of {O} again .",
                "{S} , {APPOS} , is a member of {O} .",
            ],
            appositives: ["a gifted singer", "a shy guitarist", "a young pianist", "a famous drummer"]),
    ]

    public static var invariantRelations: [RelationSchema] { all.filter(\.invariant) }
    public static var variantRelations: [RelationSchema] { all.filter { !$0.invariant } }

    /// The relation with this key ("plays_for") or code ("P54").
    public static func named(_ name: String) -> RelationSchema? {
        all.first { $0.key == name || $0.code == name }
    }
}
