import JSONText
/// What is wrong with a unit (independent of where it came from).
public enum UnitProblem: Error, Hashable, Sendable, CustomStringConvertible {
    case badJSON(JSONSyntaxError)
    case notAnObject(found: String)
    case missingField(String)
    case wrongType(field: String, expected: String, found: String)
    case emptyField(String)
    case objectNotInTask
    case objectNotInEvidence
    case maskMismatch
    case inconsistent(field: String, detail: String)
    case duplicateUUID(String, firstLine: Int)

    public var description: String {
        switch self {
        case .badJSON(let e): "bad JSON: \(e)"
        case .notAnObject(let found): "expected a JSON object, found \(found)"
        case .missingField(let f): "missing field \"\(f)\""
        case let .wrongType(f, expected, found): "field \"\(f)\" should be \(expected), found \(found)"
        case .emptyField(let f): "field \"\(f)\" is empty"
        case .objectNotInTask: "object not in task sentence (\"task_descriptive\" must contain \"object\" as whole words)"
        case .objectNotInEvidence: "object not in evidence (\"evidence\" must contain \"object\" as whole words)"
        case .maskMismatch: "\"masked_evidence\" with [MASK] replaced by the object differs from \"evidence\""
        case let .inconsistent(f, detail): "field \"\(f)\" is inconsistent: \(detail)"
        case let .duplicateUUID(u, first): "duplicate uuid \"\(u)\" (first seen on line \(first))"
        }
    }
}

/// An error of the CKL data layer: reading, validating or writing benchmark files, or an
/// invalid generator configuration. Messages follow `file:line: message`.
public enum CKLDataError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A line of a JSONL file (1-based) is not a valid unit.
    case invalidLine(file: String, line: Int, problem: UnitProblem)
    /// A unit built in code is invalid.
    case invalidUnit(UnitProblem)
    case unreadable(file: String, reason: String)
    case notUTF8(file: String, line: Int)
    case noUnits(file: String)
    case missingFile(String)
    case unwritable(file: String, reason: String)
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case let .invalidLine(file, line, problem): "\(file):\(line): \(problem)"
        case .invalidUnit(let problem): "invalid unit: \(problem)"
        case let .unreadable(file, reason): "\(file): cannot read: \(reason)"
        case let .notUTF8(file, line): "\(file):\(line): line is not valid UTF-8"
        case .noUnits(let file): "\(file): no units (the file is empty)"
        case .missingFile(let file): "\(file): no such file"
        case let .unwritable(file, reason): "\(file): cannot write: \(reason)"
        case .invalidConfiguration(let why): "invalid configuration: \(why)"
        }
    }
}
