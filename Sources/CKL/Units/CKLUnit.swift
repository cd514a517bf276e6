import JSONText
/// One LAMA-ckl unit: a fact (subject, relation, object), the evidence document that states
/// it, and the task sentence that tests it. Fields mirror the released JSONL format
/// (`relation_code`, `uuid`, `task_descriptive`, ...); the object spans are derived.
///
/// Invariants (checked by `init`): subject and object are non-empty; the object occurs as
/// whole words in the task sentence and in the evidence; `maskedEvidence` with every
/// `[MASK]` replaced by the object equals `evidence`; `evidenceLength` is the evidence's
/// length in Unicode scalars; `position` is where the first `[MASK]` starts, as a fraction
/// of the masked evidence's length.
public struct CKLUnit: Hashable, Sendable {
    public let relationCode: String
    public let uuid: String
    /// The test sentence, object included ("Ka ro plays for Du na vo .").
    public let taskDescriptive: String
    public let taskSchematic: String
    public let subject: String
    public let relationLabel: String
    public let object: String
    public let maskedEvidence: String
    public let evidence: String
    public let position: Double
    public let evidenceLength: Int
    /// True for time-invariant relations (NOT-TO-FORGET kind), false for time-variant ones.
    public let invariant: Bool
    /// The released per-model scores (kept as written, for round trips); `{}` when unknown.
    public let scores: JSONValue

    /// The object's last occurrence in the task sentence: the tokens the accuracy metric scores.
    public let taskObjectSpan: ObjectSpan
    /// Every occurrence of the object in the evidence: the tokens oracle weighting selects.
    public let evidenceObjectSpans: [ObjectSpan]

    public static let maskToken = "[MASK]"

    /// The schematic task text of the released data for a fact.
    public static func schematic(subject: String, relationLabel: String, object: String) -> String {
        "Guess the object. \n  subject is \(subject) , relation is \(relationLabel) , object is \(object)"
    }

    /// Builds and validates a unit. Omitted derived fields are computed: `taskSchematic` from
    /// the fact, `maskedEvidence` by masking the object's first occurrence, `position` and
    /// `evidenceLength` from the masked evidence. Given derived fields must agree.
    public init(
        relationCode: String, uuid: String, taskDescriptive: String, taskSchematic: String? = nil,
        subject: String, relationLabel: String, object: String,
        maskedEvidence: String? = nil, evidence: String,
        position: Double? = nil, evidenceLength: Int? = nil,
        invariant: Bool, scores: JSONValue = .object([])
    ) throws(CKLDataError) {
        do {
            try self.init(validating: relationCode, uuid, taskDescriptive, taskSchematic, subject,
                          relationLabel, object, maskedEvidence, evidence, position, evidenceLength,
                          invariant, scores)
        } catch let p {
            throw .invalidUnit(p)
        }
    }

    init(
        validating relationCode: String, _ uuid: String, _ taskDescriptive: String, _ taskSchematic: String?,
        _ subject: String, _ relationLabel: String, _ object: String,
        _ maskedEvidence: String?, _ evidence: String,
        _ position: Double?, _ evidenceLength: Int?,
        _ invariant: Bool, _ scores: JSONValue
    ) throws(UnitProblem) {
        if subject.allSatisfy(\.isWhitespace) { throw .emptyField("subject") }
        if object.allSatisfy(\.isWhitespace) { throw .emptyField("object") }
        if evidence.allSatisfy(\.isWhitespace) { throw .emptyField("evidence") }
        guard let taskSpan = Words.lastOccurrence(of: object, in: taskDescriptive) else { throw .objectNotInTask }
        let spans = Words.occurrences(of: object, in: evidence)
        if spans.isEmpty { throw .objectNotInEvidence }

        let masked: String
        if let m = maskedEvidence {
            guard m.scalarOffset(of: Self.maskToken) != nil else {
                throw .inconsistent(field: "masked_evidence", detail: "contains no [MASK]")
            }
            guard m.replacingAll(Self.maskToken, with: object) == evidence else { throw .maskMismatch }
            masked = m
        } else {
            // Mask the first occurrence.
            let scalars = Array(evidence.unicodeScalars)
            let r = spans[0].characters
            var s = String.UnicodeScalarView()
            s.append(contentsOf: scalars[..<r.lowerBound])
            s.append(contentsOf: Self.maskToken.unicodeScalars)
            s.append(contentsOf: scalars[r.upperBound...])
            masked = String(s)
        }
        let maskAt = masked.scalarOffset(of: Self.maskToken) ?? 0
        let derivedPosition = Double(maskAt) / Double(max(1, masked.unicodeScalars.count))
        if let p = position, !(abs(p - derivedPosition) <= 1e-9) {
            throw .inconsistent(field: "position",
                                detail: "\(p) but the first [MASK] is at \(derivedPosition) of masked_evidence")
        }
        let length = evidence.unicodeScalars.count
        if let n = evidenceLength, n != length {
            throw .inconsistent(field: "evidence_length", detail: "\(n) but the evidence has \(length) characters")
        }
        if case .object = scores {} else {
            throw .wrongType(field: "scores", expected: "an object", found: scores.kindName)
        }

        self.relationCode = relationCode
        self.uuid = uuid
        self.taskDescriptive = taskDescriptive
        self.taskSchematic = taskSchematic ?? Self.schematic(subject: subject, relationLabel: relationLabel, object: object)
        self.subject = subject
        self.relationLabel = relationLabel
        self.object = object
        self.maskedEvidence = masked
        self.evidence = evidence
        self.position = position ?? derivedPosition
        self.evidenceLength = length
        self.invariant = invariant
        self.scores = scores
        self.taskObjectSpan = taskSpan
        self.evidenceObjectSpans = spans
    }

    /// The evidence's whitespace-separated words.
    public var evidenceWords: [String] { Words.split(evidence) }
    /// The task sentence's whitespace-separated words.
    public var taskWords: [String] { Words.split(taskDescriptive) }

    /// Fraction of the evidence's words that belong to an object occurrence.
    public var objectWordFraction: Double {
        let n = evidenceWords.count
        guard n > 0 else { return 0 }
        let covered = Set(evidenceObjectSpans.flatMap { Array($0.words) })
        return Double(covered.count) / Double(n)
    }

    /// A released score (`scores[kind][model]`, e.g. "descriptive", "llama_7b"), if present.
    public func score(_ kind: String, model: String) -> Double? {
        if case .number(let d, _)? = scores[kind]?[model] { return d }
        return nil
    }
}

extension String {
    /// Replaces every occurrence of `target` (compared by Unicode scalars, left to right).
    func replacingAll(_ target: String, with replacement: String) -> String {
        let hay = Array(unicodeScalars), t = Array(target.unicodeScalars)
        guard !t.isEmpty else { return self }
        var out = String.UnicodeScalarView()
        var k = 0
        while k < hay.count {
            if k + t.count <= hay.count, hay[k..<(k + t.count)].elementsEqual(t) {
                out.append(contentsOf: replacement.unicodeScalars)
                k += t.count
            } else {
                out.append(hay[k])
                k += 1
            }
        }
        return String(out)
    }

    /// Offset (in Unicode scalars) of the first occurrence of `target`, or nil.
    func scalarOffset(of target: String) -> Int? {
        let hay = Array(unicodeScalars), t = Array(target.unicodeScalars)
        guard !t.isEmpty, t.count <= hay.count else { return nil }
        for k in 0...(hay.count - t.count) where hay[k..<(k + t.count)].elementsEqual(t) { return k }
        return nil
    }
}
