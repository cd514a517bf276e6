import CKL
import Language
import NN
import TrainAttention

/// META examples from taalm values: records `{document: "...", task: "...", object: "..."}`
/// (the object is found by its tokens: every occurrence in the document, the last one in
/// the task), or anything that offers such a record (benchmark units).
enum MetaExamples {
    /// The token ids of `object` as it appears inside running text, tried as written and
    /// with a leading space (byte-level BPE marks word starts).
    static func objectIds(_ tok: TextTokenizer, _ object: String) -> [[Int]] {
        var out: [[Int]] = []
        for variant in [object, " " + object] {
            let ids = tok.encode(variant)
            if !ids.isEmpty && !out.contains(ids) { out.append(ids) }
        }
        return out
    }

    static func occurrences(of needle: [Int], in hay: [Int]) -> [Range<Int>] {
        guard !needle.isEmpty, needle.count <= hay.count else { return [] }
        var out: [Range<Int>] = []
        var i = 0
        while i + needle.count <= hay.count {
            if Array(hay[i..<(i + needle.count)]) == needle { out.append(i..<(i + needle.count)); i += needle.count } else { i += 1 }
        }
        return out
    }

    /// One example from document, task and object texts, tokenized like the model's inputs.
    static func example(_ m: LanguageModel, document: String, task: String, object: String, _ what: String) throws(NativeError) -> MetaExample {
        let tok = try ModelInputs.tokenizer(m, what)
        let doc = try ModelInputs.encode(m, document, what), taskIds = try ModelInputs.encode(m, task, what)
        let candidates = objectIds(tok, object)
        var docSpans: [Range<Int>] = [], taskSpan: Range<Int>? = nil
        for ids in candidates {
            docSpans += occurrences(of: ids, in: doc)
            if let last = occurrences(of: ids, in: taskIds).last, last.lowerBound > (taskSpan?.lowerBound ?? -1) { taskSpan = last }
        }
        guard let span = taskSpan else {
            throw NativeError("\(what): the object \"\(object)\" does not appear in the task \"\(task)\"",
                              hint: "the task sentence must contain its object, e.g. {document: ..., task: \"Ann lives in Oslo .\", object: \"Oslo\"}")
        }
        guard !docSpans.isEmpty else {
            throw NativeError("\(what): the object \"\(object)\" does not appear in the document", hint: "a META document must state its fact")
        }
        return try ModelErrors.run(what) { () throws(NNError) in
            try MetaExample(document: doc, documentObject: docSpans.sorted { $0.lowerBound < $1.lowerBound }, task: taskIds, taskObject: span)
        }
    }

    /// Examples from a list of records (or a single record).
    static func list(_ m: LanguageModel, _ v: Value, _ what: String, _ ctx: CallContext) throws(NativeError) -> [MetaExample] {
        let items: [Value]
        switch v {
        case .list(let l): items = l.items
        case .record: items = [v]
        default:
            throw NativeError("\(what) must be a list of {document, task, object} records, not \(v.typeName)")
        }
        var out: [MetaExample] = []
        for (i, item) in items.enumerated() {
            let at = "\(what)[\(i)]"
            if case .object(let o) = item, let u = o as? UnitValue {
                out.append(try unit(m, u.unit, at))
                continue
            }
            let r = try record(item, at, ctx)
            out.append(try example(m, document: try text(r, ["document", "evidence"], at), task: try text(r, ["task"], at),
                                   object: try text(r, ["object"], at), at))
        }
        return out
    }

    /// A benchmark unit, tokenized exactly as the CKL protocol trains and scores it (the
    /// object's tokens found by character alignment, not by re-tokenizing the object).
    static func unit(_ m: LanguageModel, _ u: CKLUnit, _ what: String) throws(NativeError) -> MetaExample {
        let tok = try ModelInputs.tokenizer(m, what)
        let encoded: EncodedUnit
        do { encoded = try UnitEncoder(tokenizer: tok).encode(u) } catch { throw NativeError("\(what): \(error)") }
        return try ModelErrors.run(what) { () throws(NNError) in
            try MetaExample(document: encoded.evidence.ids, objectTokens: encoded.evidence.objectTokens,
                            task: encoded.task, taskObject: encoded.taskObject)
        }
    }

    /// A record view of a value: a record, or a native object with the needed members.
    static func record(_ v: Value, _ what: String, _ ctx: CallContext) throws(NativeError) -> (String) -> Value? {
        switch v {
        case .record(let r): return { r[$0] }
        case .object(let o):
            return { name in
                guard o.memberNames.contains(name) else { return nil }
                return try? o.member(name, ctx)
            }
        default:
            throw NativeError("\(what) must be a record {document, task, object} or a benchmark unit, not \(v.typeName)")
        }
    }

    static func text(_ r: (String) -> Value?, _ keys: [String], _ what: String) throws(NativeError) -> String {
        for k in keys {
            if let v = r(k) {
                guard case .string(let s) = v else { throw NativeError("\(what).\(k) must be a string, not \(v.typeName)") }
                return s
            }
        }
        throw NativeError("\(what) has no '\(keys[0])'", hint: "META examples are records {document: text, task: text, object: text}")
    }
}
