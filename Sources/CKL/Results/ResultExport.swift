import JSONText
/// JSON and CSV forms of results (numbers as Python's `repr` writes them).
extension CKLResult {
    public var jsonValue: JSONValue {
        .object([
            ("method", .string(method)),
            ("top_acc", .number(topAccuracy)),
            ("epoch", .integer(topEpoch)),
            ("epoch90", .integer(epochsTo90)),
            ("nf_acc", .number(notToForgetAtTop)),
            ("total_knowledge", .number(totalKnowledge)),
            ("epochs_completed", .integer(epochsCompleted)),
            ("epochs_planned", .integer(plannedEpochs)),
            ("interrupted", .bool(interrupted)),
            ("seconds", .number(seconds)),
            ("settings", .object(settings.map { ($0.name, JSONValue.string($0.value)) })),
            ("curve", .array(curve.map { r in
                .object([("epoch", .integer(r.epoch)), ("to_learn", .number(r.toLearn)),
                         ("not_to_forget", .number(r.notToForget)), ("train_loss", r.trainLoss.map { .number($0) } ?? .null)])
            })),
        ])
    }

    /// One JSON object: the table metrics, settings and the per-epoch curve.
    public func toJSON() -> String { JSONWriter.write(jsonValue) }

    /// The per-epoch curve as CSV: `method,epoch,to_learn,not_to_forget,train_loss`.
    public func toCSV() -> String {
        (["method,epoch,to_learn,not_to_forget,train_loss"] + curveCSVLines).joined(separator: "\n") + "\n"
    }

    var curveCSVLines: [String] {
        curve.map { r in
            [CSV.field(method), String(r.epoch), JSONWriter.pythonFloat(r.toLearn), JSONWriter.pythonFloat(r.notToForget),
             r.trainLoss.map(JSONWriter.pythonFloat) ?? ""].joined(separator: ",")
        }
    }
}

extension CKLComparison {
    /// The table as a JSON array of rows.
    public func toJSON() -> String {
        JSONWriter.write(.array(results.map { r in
            .object([("method", .string(r.method)), ("top_acc", .number(r.topAccuracy)), ("epoch", .integer(r.topEpoch)),
                     ("epoch90", .integer(r.epochsTo90)), ("nf_acc", .number(r.notToForgetAtTop)), ("total_knowledge", .number(r.totalKnowledge))])
        }))
    }

    /// The table as CSV: `method,top_acc,epoch,epoch90,nf_acc,total_knowledge` (epoch90: Ep@90%).
    public func toCSV() -> String {
        (["method,top_acc,epoch,epoch90,nf_acc,total_knowledge"] + rows.map { r in
            [CSV.field(r.method), JSONWriter.pythonFloat(r.top), String(r.epoch), String(r.epoch90), JSONWriter.pythonFloat(r.nf),
             JSONWriter.pythonFloat(r.total)].joined(separator: ",")
        }).joined(separator: "\n") + "\n"
    }

    /// Every result's curve in one CSV (`method,epoch,to_learn,not_to_forget,train_loss`).
    public func curvesCSV() -> String {
        (["method,epoch,to_learn,not_to_forget,train_loss"] + results.flatMap(\.curveCSVLines)).joined(separator: "\n") + "\n"
    }
}

enum CSV {
    /// A CSV field, quoted when it holds a comma, quote or line break.
    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
