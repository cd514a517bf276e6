import JSONText
import Foundation

/// Saving and loading benchmarks as folders of JSONL files.
///
/// A saved benchmark (`save(to:)`) is a folder with `not_to_forget.jsonl`, `to_learn.jsonl`,
/// `meta.jsonl`, `skill.jsonl` (units in the released field format), `pretraining.jsonl`
/// (one `{"unit": uuid, "kind": "evidence" | "extra_evidence" | "task", "text": ...}` a
/// line) and `benchmark.json` (`{"format": "taalm-lama-ckl", "version": 1, "name": ...}`).
/// The output is deterministic: saving the same benchmark twice gives identical bytes.
///
/// `load(folder:)` reads a saved benchmark when `benchmark.json` is present, and otherwise
/// the released files (`to_learn.jsonl`, `not_to_forget.jsonl`) split by a `ReleasedRecipe`.
extension LamaCKLBenchmark {
    public static let manifestFile = "benchmark.json"
    public static let metaFile = "meta.jsonl"
    public static let skillFile = "skill.jsonl"
    public static let pretrainingFile = "pretraining.jsonl"

    /// Writes the benchmark into `folder` (created if needed).
    public func save(to folder: String) throws(CKLDataError) {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .unwritable(file: folder, reason: error.localizedDescription)
        }
        let path = { (f: String) in (folder as NSString).appendingPathComponent(f) }
        let manifest = JSONValue.object([
            ("format", .string("taalm-lama-ckl")), ("version", .integer(1)), ("name", .string(name)),
        ])
        try UnitsJSONL.writeText(JSONWriter.write(manifest) + "\n", path: path(Self.manifestFile))
        try UnitsJSONL.write(notToForget, path: path(ReleasedRecipe.notToForgetFile))
        try UnitsJSONL.write(toLearn, path: path(ReleasedRecipe.toLearnFile))
        try UnitsJSONL.write(meta, path: path(Self.metaFile))
        try UnitsJSONL.write(skill, path: path(Self.skillFile))
        try UnitsJSONL.writeText(Self.encodeCorpus(pretrainingCorpus), path: path(Self.pretrainingFile))
    }

    /// Loads a saved benchmark, or the released units split by `recipe`.
    public static func load(folder: String, recipe: ReleasedRecipe = ReleasedRecipe()) throws(CKLDataError)
        -> LamaCKLBenchmark {
        let path = { (f: String) in (folder as NSString).appendingPathComponent(f) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .missingFile(folder)
        }
        let toLearn = try UnitsJSONL.read(path: path(ReleasedRecipe.toLearnFile))
        let notToForget = try UnitsJSONL.read(path: path(ReleasedRecipe.notToForgetFile))
        guard FileManager.default.fileExists(atPath: path(Self.manifestFile)) else {
            return try recipe.apply(toLearn: toLearn, notToForget: notToForget,
                                    name: "LAMA-ckl (released units from \(folder))", folder: folder)
        }
        let manifestPath = path(Self.manifestFile)
        let manifestText: String
        do { manifestText = try String(contentsOfFile: manifestPath, encoding: .utf8) } catch {
            throw .unreadable(file: manifestPath, reason: error.localizedDescription)
        }
        let manifest: JSONValue
        do { manifest = try JSONParser.parse(manifestText) } catch let e {
            throw .invalidLine(file: manifestPath, line: 1, problem: .badJSON(e))
        }
        guard case .string("taalm-lama-ckl")? = manifest["format"] else {
            throw .invalidLine(file: manifestPath, line: 1,
                               problem: .inconsistent(field: "format", detail: "expected \"taalm-lama-ckl\""))
        }
        var name = "LAMA-ckl (saved in \(folder))"
        if case .string(let n)? = manifest["name"] { name = n }
        let meta = try readOptional(path(Self.metaFile))
        let skill = try readOptional(path(Self.skillFile))
        let corpusPath = path(Self.pretrainingFile)
        let known = Set((notToForget + skill).map(\.uuid))
        let corpus = FileManager.default.fileExists(atPath: corpusPath)
            ? try decodeCorpus(readText(corpusPath), file: corpusPath, knownUnits: known) : []
        return LamaCKLBenchmark(name: name, origin: .saved(folder: folder), notToForget: notToForget,
                                toLearn: toLearn, meta: meta, skill: skill, pretrainingCorpus: corpus)
    }

    private static func readOptional(_ path: String) throws(CKLDataError) -> [CKLUnit] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let text = try readText(path)
        return try UnitsJSONL.decode(text, file: path)
    }

    private static func readText(_ path: String) throws(CKLDataError) -> String {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .unreadable(file: path, reason: error.localizedDescription)
        }
        guard let s = String(validating: [UInt8](data), as: UTF8.self) else {
            throw .unreadable(file: path, reason: "not valid UTF-8")
        }
        return s
    }

    /// The pretraining corpus as JSONL.
    public static func encodeCorpus(_ corpus: [CorpusDocument]) -> String {
        var out = ""
        for d in corpus {
            out += JSONWriter.write(.object([
                ("unit", .string(d.unit)), ("kind", .string(d.kind.rawValue)), ("text", .string(d.text)),
            ]))
            out += "\n"
        }
        return out
    }

    /// Parses a pretraining corpus; every document must name a unit in `knownUnits`.
    public static func decodeCorpus(_ text: String, file: String, knownUnits: Set<String>) throws(CKLDataError)
        -> [CorpusDocument] {
        var docs: [CorpusDocument] = []
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            do {
                let v: JSONValue
                do { v = try JSONParser.parse(String(line)) } catch let e { throw UnitProblem.badJSON(e) }
                guard case .object = v else { throw UnitProblem.notAnObject(found: v.kindName) }
                func string(_ f: String) throws(UnitProblem) -> String {
                    guard let x = v[f] else { throw .missingField(f) }
                    guard case .string(let s) = x else { throw .wrongType(field: f, expected: "a string", found: x.kindName) }
                    return s
                }
                let unit = try string("unit")
                let kindName = try string("kind")
                let text = try string("text")
                guard let kind = CorpusDocument.Kind(rawValue: kindName) else {
                    throw UnitProblem.inconsistent(field: "kind", detail: "\"\(kindName)\" is not evidence, extra_evidence or task")
                }
                guard knownUnits.contains(unit) else {
                    throw UnitProblem.inconsistent(field: "unit", detail: "\"\(unit)\" is not a NOT-TO-FORGET or skill unit")
                }
                docs.append(CorpusDocument(text: text, kind: kind, unit: unit))
            } catch let p as UnitProblem {
                throw .invalidLine(file: file, line: lineNumber, problem: p)
            } catch {
                throw .invalidLine(file: file, line: lineNumber, problem: .inconsistent(field: "", detail: "\(error)"))
            }
        }
        return docs
    }
}
