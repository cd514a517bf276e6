import CKL
import Display
import Foundation
import Language

/// The result of a LAMA-ckl run as a taalm value.
public final class CKLResultValue: NativeObject {
    public let result: CKLResult
    /// The model the run trained.
    let model: ModelValue?

    init(_ result: CKLResult, model: ModelValue?) {
        self.result = result
        self.model = model
    }

    public var typeName: String { "ckl_result" }
    public var doc: String {
        "A LAMA-ckl run. Members: method, top_acc, epoch (where Top Acc occurs), epoch90 (first epoch at 90 % of Top Acc), "
            + "nf_acc, total, curves (per-epoch lists), table (the paper's row), epochs (per-epoch table), settings, seconds, "
            + "interrupted, model; epochs_to(fraction) / epochs_to(accuracy: a), labeled(name) (the run under another name, so "
            + "variants of one method get their own rows in compare()), to_json(), to_csv()."
    }
    public var shortSummary: String { "ckl_result \(result.method): Top Acc \(f3(result.topAccuracy))" }
    public var memberNames: [String] {
        ["method", "top_acc", "epoch", "epoch90", "epochs_to", "nf_acc", "total", "curves", "table", "epochs", "settings", "seconds", "interrupted", "model",
         "labeled", "to_json", "to_csv"]
    }

    func f3(_ x: Double) -> String { String(format: "%.3f", x) }

    public func display(_ ctx: DisplayContext) -> String {
        let r = result
        let first = r.curve.first, last = r.curve.last
        var lines = ["\(r.method): Top Acc \(f3(r.topAccuracy)) at epoch \(r.topEpoch), NF Acc \(f3(r.notToForgetAtTop)), Total Knowledge \(f3(r.totalKnowledge))"]
        if let a = first, let b = last {
            lines.append("  TO-LEARN \(f3(a.toLearn)) → \(f3(b.toLearn)), NOT-TO-FORGET \(f3(a.notToForget)) → \(f3(b.notToForget)) over \(r.epochsCompleted) of \(r.plannedEpochs) epochs in \(String(format: "%.1f", r.seconds)) s"
                         + (r.interrupted ? " (interrupted)" : ""))
        }
        return lines.joined(separator: "\n")
    }

    static func metricsTable(_ results: [CKLResult], title: String? = nil) -> Table {
        Table(title: title,
              columns: [TableColumn("Method"), TableColumn("Top Acc", decimals: 3, best: .max), TableColumn("Epoch"), TableColumn("Ep@90%"),
                        TableColumn("NF Acc", decimals: 3, best: .max), TableColumn("Total Knowledge", decimals: 3, best: .max)],
              rows: results.map { r in
                  [.text(r.method), .number(r.topAccuracy), .integer(r.topEpoch), .integer(r.epochsTo90), .number(r.notToForgetAtTop),
                   .number(r.totalKnowledge)]
              }, note: "Epoch: where Top Acc occurs; Ep@90%: first epoch at 90 % of the run's own Top Acc")
    }

    static func epochTable(_ r: CKLResult) -> Table {
        Table(title: r.method,
              columns: [TableColumn("Epoch"), TableColumn("TO-LEARN", decimals: 3, best: .max), TableColumn("NOT-TO-FORGET", decimals: 3),
                        TableColumn("Train loss", decimals: 4)],
              rows: r.curve.map { e in
                  [.integer(e.epoch), .number(e.toLearn), .number(e.notToForget), e.trainLoss.map { .number($0) } ?? .empty]
              })
    }

    /// `r.epochs_to(0.9)` / `r.epochs_to(accuracy: 0.3)`: the first epoch at a share of the run's
    /// Top Acc, or at an absolute TO-LEARN accuracy (nil when never reached).
    static func epochsTo(_ r: CKLResult) -> NativeFunction {
        NativeFunction("epochs_to", doc: """
            r.epochs_to(fraction): the first epoch (0 = before training) whose TO-LEARN accuracy is at least fraction × the \
            run's Top Acc, fraction in (0, 1]; epochs_to(1) is r.epoch, epochs_to(0.9) is r.epoch90 (the Ep@90% column), a \
            learning speed that a late maximum on a plateau does not move. r.epochs_to(accuracy: a): the first epoch whose \
            TO-LEARN accuracy is at least a (in [0, 1]), nil when no epoch reaches it, e.g. \
            taalm.epochs_to(accuracy: finetune.top_acc) is when TAALM passes Finetune's best.
            """, params: [Param("fraction", default: .null), Param("accuracy", default: .null)]) { args, _ throws(NativeError) in
            let fn = "epochs_to"
            let fraction = try CKLOptions.number(args[0], fn, "fraction")
            let accuracy = try CKLOptions.number(args[1], fn, "accuracy")
            do throws(CKLError) {
                switch (fraction, accuracy) {
                case (let f?, nil): return .number(Double(try r.epochsTo(fraction: f)))
                case (nil, let a?): return try r.epochsTo(accuracy: a).map { .number(Double($0)) } ?? .null
                case (nil, nil):
                    throw .invalidConfiguration("give a fraction of the run's Top Acc or an accuracy:")
                case (_?, _?):
                    throw .invalidConfiguration("give a fraction or an accuracy:, not both")
                }
            } catch {
                guard case .invalidConfiguration(let m) = error else { throw CKLOptions.fail(fn, error.description) }
                throw CKLOptions.fail(fn, m, hint: "r.epochs_to(0.9) (90 % of r.top_acc) or r.epochs_to(accuracy: 0.3)")
            }
        }
    }

    public func member(_ name: String, _ ctx: CallContext) throws(NativeError) -> Value? {
        let r = result
        switch name {
        case "method": return .string(r.method)
        case "top_acc": return .number(r.topAccuracy)
        case "epoch": return .number(Double(r.topEpoch))
        case "epoch90": return .number(Double(r.epochsTo90))
        case "epochs_to": return .native(Self.epochsTo(r))
        case "nf_acc": return .number(r.notToForgetAtTop)
        case "total": return .number(r.totalKnowledge)
        case "seconds": return .number(r.seconds)
        case "interrupted": return .bool(r.interrupted)
        case "model": return model.map { .object($0) } ?? .null
        case "settings": return .makeRecord(r.settings.map { ($0.name, .string($0.value)) })
        case "curves":
            return .makeRecord([
                ("epoch", .makeList(r.curve.map { .number(Double($0.epoch)) })),
                ("to_learn", .makeList(r.curve.map { .number($0.toLearn) })),
                ("not_to_forget", .makeList(r.curve.map { .number($0.notToForget) })),
                ("train_loss", .makeList(r.curve.map { $0.trainLoss.map { .number($0) } ?? .null })),
            ])
        case "table": return .object(CKLTableValue(Self.metricsTable([r])))
        case "epochs": return .object(CKLTableValue(Self.epochTable(r)))
        case "labeled":
            let model = model
            return .native(NativeFunction("labeled", doc: """
                r.labeled(name): the same run named `name` in tables and in compare() over seeds, which groups rows by name \
                (e.g. two TAALM runs with differently trained φs); settings.method keeps the method's own name.
                """, params: [Param("name")]) { args, _ throws(NativeError) in
                guard case .string(let name) = args[0], !name.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw NativeError("labeled: give the run a non-empty name (a string), not \(args[0].typeName)",
                                      hint: "r.labeled(\"TAALM, AdamW inner step\")")
                }
                return .object(CKLResultValue(r.labeled(name), model: model))
            })
        case "to_json":
            return .native(NativeFunction("to_json", doc: "The result as JSON: table metrics, settings and the per-epoch curve.") { _, _ throws(NativeError) in
                .string(r.toJSON())
            })
        case "to_csv":
            return .native(NativeFunction("to_csv", doc: "The per-epoch curve as CSV.") { _, _ throws(NativeError) in .string(r.toCSV()) })
        default: return nil
        }
    }
}

/// The result of a TemporalWiki run as a taalm value.
public final class TemporalResultValue: NativeObject {
    public let result: TemporalResult
    public init(_ result: TemporalResult) { self.result = result }

    public var typeName: String { "temporal_result" }
    public var doc: String {
        "A TemporalWiki run. Members: method, periods (per-period records), table, changed, unchanged, average (means over periods), seconds; to_json(), to_csv()."
    }
    public var shortSummary: String { "temporal_result \(result.method)" }
    public var memberNames: [String] { ["method", "periods", "table", "changed", "unchanged", "average", "seconds", "interrupted", "to_json", "to_csv"] }

    static func periodTable(_ results: [TemporalResult]) -> Table {
        var rows: [[TableCell]] = []
        for r in results {
            for p in r.periods {
                rows.append([.text(r.method), .text(p.period == 0 ? "base" : String(p.period)), .number(p.changedNLL), .number(p.unchangedNLL),
                             .number(p.averageNLL), .number(p.changedAccuracy), .number(p.unchangedAccuracy)])
            }
            rows.append([.text(r.method), .text("mean"), .number(r.meanChangedNLL), .number(r.meanUnchangedNLL), .number(r.meanAverageNLL), .empty, .empty])
        }
        return Table(columns: [TableColumn("Method"), TableColumn("Period"), TableColumn("Changed NLL", decimals: 3),
                               TableColumn("Unchanged NLL", decimals: 3), TableColumn("Average", decimals: 3),
                               TableColumn("Changed Acc", decimals: 3), TableColumn("Unchanged Acc", decimals: 3)],
                     rows: rows, note: "NLL: mean negative log-likelihood of the object tokens (lower is better); mean over trained periods")
    }

    public func display(_ ctx: DisplayContext) -> String {
        var s = Self.periodTable([result]).terminal(color: ColorMode(ctx.color))
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }

    public func member(_ name: String, _ ctx: CallContext) throws(NativeError) -> Value? {
        let r = result
        switch name {
        case "method": return .string(r.method)
        case "changed": return .number(r.meanChangedNLL)
        case "unchanged": return .number(r.meanUnchangedNLL)
        case "average": return .number(r.meanAverageNLL)
        case "seconds": return .number(r.seconds)
        case "interrupted": return .bool(r.interrupted)
        case "table": return .object(CKLTableValue(Self.periodTable([r])))
        case "periods":
            return .makeList(r.periods.map { p in
                .makeRecord([("period", .number(Double(p.period))), ("changed", .number(p.changedNLL)), ("unchanged", .number(p.unchangedNLL)),
                             ("average", .number(p.averageNLL)), ("changed_acc", .number(p.changedAccuracy)),
                             ("unchanged_acc", .number(p.unchangedAccuracy))])
            })
        case "to_json":
            return .native(NativeFunction("to_json", doc: "The result as JSON.") { _, _ throws(NativeError) in .string(r.toJSON()) })
        case "to_csv":
            return .native(NativeFunction("to_csv", doc: "The per-period table as CSV.") { _, _ throws(NativeError) in .string(r.toCSV()) })
        default: return nil
        }
    }
}
