import JSONText
import Foundation

/// Reading and writing units in the released LAMA-ckl JSONL field format: one JSON object
/// a line, fields in the released order, written like Python's `json.dumps(ensure_ascii=False)`
/// so a loaded file is written back byte for byte.
///
/// Required fields: `relation_code`, `uuid`, `task_descriptive`, `subject`, `relation_label`,
/// `object`, `evidence`, `invariant`. Optional (derived when absent, checked when present):
/// `task_schematic`, `masked_evidence`, `position`, `evidence_length`, `scores`. Unknown
/// fields are ignored. Blank lines are skipped.
public enum UnitsJSONL {
    public static let fieldOrder = [
        "relation_code", "uuid", "task_descriptive", "task_schematic", "subject", "relation_label",
        "object", "masked_evidence", "evidence", "position", "evidence_length", "invariant", "scores",
    ]

    /// One unit as a JSON object, fields in the released order.
    public static func jsonValue(_ u: CKLUnit) -> JSONValue {
        .object([
            ("relation_code", .string(u.relationCode)),
            ("uuid", .string(u.uuid)),
            ("task_descriptive", .string(u.taskDescriptive)),
            ("task_schematic", .string(u.taskSchematic)),
            ("subject", .string(u.subject)),
            ("relation_label", .string(u.relationLabel)),
            ("object", .string(u.object)),
            ("masked_evidence", .string(u.maskedEvidence)),
            ("evidence", .string(u.evidence)),
            ("position", .number(u.position)),
            ("evidence_length", .integer(u.evidenceLength)),
            ("invariant", .bool(u.invariant)),
            ("scores", u.scores),
        ])
    }

    /// One unit as a JSONL line (no trailing newline).
    public static func line(_ u: CKLUnit) -> String { JSONWriter.write(jsonValue(u)) }

    /// Units as JSONL text, one line each, each ending in "\n".
    public static func encode(_ units: [CKLUnit]) -> String {
        var out = ""
        for u in units { out += line(u); out += "\n" }
        return out
    }

    /// Parses and validates one line.
    public static func decodeLine(_ text: String) throws(UnitProblem) -> CKLUnit {
        let v: JSONValue
        do { v = try JSONParser.parse(text) } catch let e { throw .badJSON(e) }
        guard case .object = v else { throw .notAnObject(found: v.kindName) }

        func field(_ name: String) throws(UnitProblem) -> JSONValue {
            guard let f = v[name] else { throw .missingField(name) }
            return f
        }
        func string(_ name: String) throws(UnitProblem) -> String {
            let f = try field(name)
            guard case .string(let s) = f else { throw .wrongType(field: name, expected: "a string", found: f.kindName) }
            return s
        }
        func optionalString(_ name: String) throws(UnitProblem) -> String? {
            v[name] == nil ? nil : try string(name)
        }
        func bool(_ name: String) throws(UnitProblem) -> Bool {
            let f = try field(name)
            guard case .bool(let b) = f else { throw .wrongType(field: name, expected: "a boolean", found: f.kindName) }
            return b
        }
        func optionalNumber(_ name: String) throws(UnitProblem) -> Double? {
            guard let f = v[name] else { return nil }
            guard case .number(let d, _) = f else { throw .wrongType(field: name, expected: "a number", found: f.kindName) }
            return d
        }

        let relationCode = try string("relation_code")
        let uuid = try string("uuid")
        let task = try string("task_descriptive")
        let schematic = try optionalString("task_schematic")
        let subject = try string("subject")
        let relationLabel = try string("relation_label")
        let object = try string("object")
        let masked = try optionalString("masked_evidence")
        let evidence = try string("evidence")
        let position = try optionalNumber("position")
        let lengthValue = try optionalNumber("evidence_length")
        let invariant = try bool("invariant")
        let scores = v["scores"] ?? .object([])
        if case .object = scores {} else {
            throw .wrongType(field: "scores", expected: "an object", found: scores.kindName)
        }
        var length: Int?
        if let d = lengthValue {
            guard d >= 0, d <= Double(Int32.max), d == d.rounded() else {
                throw .wrongType(field: "evidence_length", expected: "a non-negative integer", found: "\(d)")
            }
            length = Int(d)
        }
        if let p = position, !(0...1).contains(p) {
            throw .inconsistent(field: "position", detail: "\(p) is outside 0...1")
        }
        return try CKLUnit(validating: relationCode, uuid, task, schematic, subject, relationLabel, object,
                           masked, evidence, position, length, invariant, scores)
    }

    /// Parses JSONL text. `file` names the source in error messages (`file:line: ...`).
    /// Duplicate uuids within the text are rejected.
    public static func decode(_ text: String, file: String) throws(CKLDataError) -> [CKLUnit] {
        try decode(bytes: Array(text.utf8), file: file)
    }

    public static func decode(bytes: [UInt8], file: String) throws(CKLDataError) -> [CKLUnit] {
        var units: [CKLUnit] = []
        var firstLine: [String: Int] = [:]
        var lineNumber = 0
        for raw in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            var lineBytes = raw
            if lineBytes.last == UInt8(ascii: "\r") { lineBytes = lineBytes.dropLast() }
            guard let text = String(validating: lineBytes, as: UTF8.self) else {
                throw .notUTF8(file: file, line: lineNumber)
            }
            if text.allSatisfy(\.isWhitespace) { continue }
            let unit: CKLUnit
            do { unit = try decodeLine(text) } catch let p {
                throw .invalidLine(file: file, line: lineNumber, problem: p)
            }
            if let first = firstLine[unit.uuid] {
                throw .invalidLine(file: file, line: lineNumber, problem: .duplicateUUID(unit.uuid, firstLine: first))
            }
            firstLine[unit.uuid] = lineNumber
            units.append(unit)
        }
        return units
    }

    /// Reads a JSONL file of units; an empty file is an error.
    public static func read(path: String) throws(CKLDataError) -> [CKLUnit] {
        guard FileManager.default.fileExists(atPath: path) else { throw .missingFile(path) }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadable(file: path, reason: "\(error.localizedDescription)")
        }
        let units = try decode(bytes: [UInt8](data), file: path)
        if units.isEmpty { throw .noUnits(file: path) }
        return units
    }

    /// Writes units to a JSONL file (replacing it).
    public static func write(_ units: [CKLUnit], path: String) throws(CKLDataError) {
        try writeText(encode(units), path: path)
    }

    static func writeText(_ text: String, path: String) throws(CKLDataError) {
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw .unwritable(file: path, reason: "\(error.localizedDescription)")
        }
    }
}
