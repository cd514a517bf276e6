import JSONText
import Foundation
import Testing
@testable import CKL

/// Fixtures in the released field format, written for these tests (not copied data).
enum Fixtures {
    static let lines = [
        #"{"relation_code": "P108", "uuid": "fx-0001", "task_descriptive": "Ada Quill works for Lumen Forge .", "task_schematic": "Guess the object. \n  subject is Ada Quill , relation is employer , object is Lumen Forge", "subject": "Ada Quill", "relation_label": "employer", "object": "Lumen Forge", "masked_evidence": "In 2019, Ada Quill (born 1980) joined [MASK], a maker of lamps; Lumen Forge's lamps are sold in Oslo.", "evidence": "In 2019, Ada Quill (born 1980) joined Lumen Forge, a maker of lamps; Lumen Forge's lamps are sold in Oslo.", "position": 0.37623762376237624, "evidence_length": 106, "invariant": false, "scores": {"descriptive": {"llama_7b": 0.0, "llama_1b": 0.0}, "schematic": {"llama_7b": 1.0, "llama_1b": 0.0}}}"#,
        #"{"relation_code": "P37", "uuid": "fx-0002", "task_descriptive": "The official language of Norvia is Norvian .", "task_schematic": "Guess the object. \n  subject is Norvia , relation is official language , object is Norvian", "subject": "Norvia", "relation_label": "official language", "object": "Norvian", "masked_evidence": "Schools in Norvia teach in [MASK] — \"the old tongue\" — since 1905.", "evidence": "Schools in Norvia teach in Norvian — \"the old tongue\" — since 1905.", "position": 0.4090909090909091, "evidence_length": 67, "invariant": true, "scores": {}}"#,
    ]
    static var text: String { lines.joined(separator: "\n") + "\n" }

    /// The first fixture with one field replaced (raw JSON text) or removed (nil).
    static func variant(_ field: String, _ raw: String?) -> String {
        guard case .object(var pairs) = try! JSONParser.parse(lines[0]) else { return "" }
        if let raw {
            let v = try! JSONParser.parse(raw)
            if let k = pairs.firstIndex(where: { $0.key == field }) { pairs[k].value = v } else { pairs.append((field, v)) }
        } else {
            pairs.removeAll { $0.key == field }
        }
        return JSONWriter.write(.object(pairs))
    }
}

@Suite struct JSONLTests {
    @Test func fixtureRoundTripsByteForByte() throws {
        let units = try UnitsJSONL.decode(Fixtures.text, file: "fx.jsonl")
        #expect(units.count == 2)
        #expect(UnitsJSONL.encode(units) == Fixtures.text)
        let u = units[0]
        #expect(u.object == "Lumen Forge")
        #expect(u.evidenceObjectSpans.count == 2)
        #expect(u.evidenceObjectSpans.map(\.isWordAligned) == [false, false])  // "Forge," and "Forge's"
        #expect(u.taskObjectSpan.words == 4..<6)
        #expect(u.taskObjectSpan.characters == 20..<31)
        #expect(u.score("schematic", model: "llama_7b") == 1.0)
        // Non-ASCII: characters count code points, utf8 counts bytes.
        let v = units[1]
        #expect(v.evidenceLength == 67)
        let s = try #require(v.evidenceObjectSpans.first)
        #expect(s.characters == 27..<34)
        #expect(s.utf8 == 27..<34)
        #expect(Array(v.evidence.utf8)[s.utf8].elementsEqual("Norvian".utf8))
    }

    @Test func generatedWorldRoundTripsThroughJSONL() throws {
        let w = try LamaCKLBenchmark.generated(preset: "tiny", seed: 2)
        let text = UnitsJSONL.encode(w.toLearn)
        let back = try UnitsJSONL.decode(text, file: "tl.jsonl")
        #expect(back == w.toLearn)
        #expect(UnitsJSONL.encode(back) == text)
        #expect(text.split(separator: "\n").allSatisfy { $0.hasPrefix(#"{"relation_code": "#) })
    }

    @Test func benchmarkSavesAndLoadsDeterministically() throws {
        let w = try LamaCKLBenchmark.generated(preset: "tiny", seed: 4)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ckl-\(UInt32.random(in: 0...UInt32.max))").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try w.save(to: dir)
        let loaded = try LamaCKLBenchmark.load(folder: dir)
        #expect(loaded.notToForget == w.notToForget)
        #expect(loaded.toLearn == w.toLearn)
        #expect(loaded.meta == w.meta)
        #expect(loaded.skill == w.skill)
        #expect(loaded.pretrainingCorpus == w.pretrainingCorpus)
        #expect(loaded.name == w.name)
        let first = try String(contentsOfFile: dir + "/to_learn.jsonl", encoding: .utf8)
        try loaded.save(to: dir)
        #expect(try String(contentsOfFile: dir + "/to_learn.jsonl", encoding: .utf8) == first)
    }

    @Test func releasedRecipeSplitsPerRelation() throws {
        let w = try LamaCKLBenchmark.generated(preset: "tiny", seed: 9)
        // Treat a generated world's TO-LEARN + META as "released TO-LEARN".
        let released = w.toLearn + w.meta
        let b = try ReleasedRecipe(seed: 3).apply(toLearn: released, notToForget: w.notToForget, name: "r", folder: "/x")
        #expect(b.skill.count + b.meta.count + b.toLearn.count == released.count)
        #expect(Set(b.skill.map(\.uuid)).isDisjoint(with: b.toLearn.map(\.uuid)))
        #expect(Set(b.meta.map(\.uuid)).isDisjoint(with: b.toLearn.map(\.uuid)))
        #expect(abs(Double(b.skill.count) - 0.2 * Double(released.count)) <= 3)
        #expect(abs(Double(b.meta.count) - 0.3 * Double(released.count)) <= 3)
        #expect(Set(b.skill.map(\.relationCode)) == Set(released.map(\.relationCode)))
        #expect(b.pretrainingCorpus.count == 2 * (b.notToForget.count + b.skill.count))
        let again = try ReleasedRecipe(seed: 3).apply(toLearn: released, notToForget: w.notToForget, name: "r", folder: "/x")
        #expect(again == b)
        #expect(throws: CKLDataError.self) {
            try ReleasedRecipe(skillFraction: 0.6, metaFraction: 0.5).apply(toLearn: released, notToForget: [], name: "r", folder: "/x")
        }
    }

    static let malformed: [(line: String, message: String)] = [
        ("{\"relation_code\": \"P108\",", "bad JSON: unexpected end of input in an object at column 26"),
        ("[1, 2]", "expected a JSON object, found array"),
        ("not json", "bad JSON: invalid literal (expected null) at column 2"),
        (Fixtures.variant("object", nil), "missing field \"object\""),
        (Fixtures.variant("evidence", nil), "missing field \"evidence\""),
        (Fixtures.variant("invariant", "\"no\""), "field \"invariant\" should be a boolean, found string"),
        (Fixtures.variant("invariant", "0"), "field \"invariant\" should be a boolean, found number"),
        (Fixtures.variant("subject", "null"), "field \"subject\" should be a string, found null"),
        (Fixtures.variant("position", "\"0.3\""), "field \"position\" should be a number, found string"),
        (Fixtures.variant("position", "1.5"), "field \"position\" is inconsistent: 1.5 is outside 0...1"),
        (Fixtures.variant("evidence_length", "10.5"), "field \"evidence_length\" should be a non-negative integer, found 10.5"),
        (Fixtures.variant("evidence_length", "107"), "field \"evidence_length\" is inconsistent: 107 but the evidence has 106 characters"),
        (Fixtures.variant("scores", "[]"), "field \"scores\" should be an object, found array"),
        (Fixtures.variant("object", "\"\""), "field \"object\" is empty"),
        (Fixtures.variant("object", "\"Lumen\""), "\"masked_evidence\" with [MASK] replaced by the object differs from \"evidence\""),
        (Fixtures.variant("object", "\"Oslo\""), "object not in task sentence (\"task_descriptive\" must contain \"object\" as whole words)"),
        (Fixtures.variant("task_descriptive", "\"Ada Quill works for Lumen Forgery .\""), "object not in task sentence (\"task_descriptive\" must contain \"object\" as whole words)"),
        (Fixtures.variant("evidence", "\"Ada Quill joined a lamp maker .\""), "object not in evidence (\"evidence\" must contain \"object\" as whole words)"),
        (Fixtures.variant("masked_evidence", "\"no mask here\""), "field \"masked_evidence\" is inconsistent: contains no [MASK]"),
        (Fixtures.variant("position", "0.5"), "field \"position\" is inconsistent: 0.5 but the first [MASK] is at 0.37623762376237624 of masked_evidence"),
        ("{\"a\": 1, \"a\": 2}", "bad JSON: duplicate key \"a\" at column 10"),
        (String(repeating: "[", count: 300), "bad JSON: nesting deeper than 256 at column 257"),
    ]

    @Test(arguments: malformed.indices)
    func malformedLineIsRejectedWithItsMessage(_ k: Int) {
        let (line, message) = Self.malformed[k]
        let text = Fixtures.lines[1] + "\n\n" + line + "\n"
        do {
            _ = try UnitsJSONL.decode(text, file: "units.jsonl")
            Issue.record("accepted: \(line)")
        } catch {
            #expect(error.description == "units.jsonl:3: " + message)
        }
    }

    @Test func duplicateUUIDAndInvalidUTF8AreRejected() {
        let dup = Fixtures.lines[0] + "\n" + Fixtures.lines[0] + "\n"
        #expect(throws: CKLDataError.invalidLine(file: "d.jsonl", line: 2, problem: .duplicateUUID("fx-0001", firstLine: 1))) {
            try UnitsJSONL.decode(dup, file: "d.jsonl")
        }
        var bytes = Array((Fixtures.lines[0] + "\n").utf8)
        bytes += [0x7B, 0xFF, 0xFE, 0x7D, 0x0A]
        #expect(throws: CKLDataError.notUTF8(file: "b.jsonl", line: 2)) {
            try UnitsJSONL.decode(bytes: bytes, file: "b.jsonl")
        }
    }

    @Test func missingFilesAndEmptyFilesAreClearErrors() throws {
        #expect(throws: CKLDataError.missingFile("/nonexistent/x.jsonl")) { try UnitsJSONL.read(path: "/nonexistent/x.jsonl") }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UInt32.random(in: 0...UInt32.max)).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data().write(to: URL(fileURLWithPath: path))
        #expect(throws: CKLDataError.noUnits(file: path)) { try UnitsJSONL.read(path: path) }
        #expect(throws: CKLDataError.missingFile("/nonexistent")) { try LamaCKLBenchmark.load(folder: "/nonexistent") }
    }

    @Test func optionalFieldsAreDerived() throws {
        var minimal = Fixtures.lines[0]
        for f in ["task_schematic", "masked_evidence", "position", "evidence_length", "scores"] {
            guard case .object(var pairs) = try JSONParser.parse(minimal) else { return }
            pairs.removeAll { $0.key == f }
            minimal = JSONWriter.write(.object(pairs))
        }
        let u = try UnitsJSONL.decodeLine(minimal)
        let full = try UnitsJSONL.decodeLine(Fixtures.lines[0])
        #expect(u.maskedEvidence == full.maskedEvidence)
        #expect(u.position == full.position)
        #expect(u.evidenceLength == full.evidenceLength)
        #expect(u.taskSchematic == full.taskSchematic)
    }
}
