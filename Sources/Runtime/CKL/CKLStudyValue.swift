import CKL
import Display
import Language

/// `compare([[seed 1's results], [seed 2's results], ...])`: the methods' table metrics over
/// seeds as mean ± sample sd, shown as the paper's table and exported as CSV/JSON.
public final class CKLStudyValue: NativeObject, RichDisplay {
    public let study: CKLStudy
    public let title: String?

    public init(_ study: CKLStudy, title: String?) {
        self.study = study
        self.title = title
    }

    public var typeName: String { "ckl_study" }
    public var doc: String {
        "Results over seeds, per method: mean ± sample sd (n − 1) of Top Acc, Epoch, Ep@90% (first epoch at 90 % of the run's "
            + "own Top Acc), NF Acc and Total Knowledge. Members: rows (records: method, n, top_acc, top_acc_sd, epoch, epoch_sd, "
            + "epoch90, epoch90_sd, nf_acc, nf_acc_sd, total, total_sd), "
            + "methods, seeds, row(method), table; to_csv(), to_json() (with the per-seed values), markdown(), html()."
    }
    public var shortSummary: String { "ckl_study, \(study.rows.count) methods over \(study.seeds) seeds" }
    public var memberNames: [String] { ["rows", "methods", "seeds", "row", "table", "to_csv", "to_json", "markdown", "html"] }
    public var length: Int? { study.rows.count }

    var table: Table {
        let interrupted = study.rows.reduce(0) { $0 + $1.interrupted }
        var notes = ["mean ± sample sd over seeds (n − 1); n = runs of the method; Ep@90%: first epoch at 90 % of the run's own Top Acc"]
        if interrupted > 0 { notes.append("\(interrupted) run(s) interrupted before their last epoch") }
        return Table(title: title,
                     columns: [TableColumn("Method"), TableColumn("n"), TableColumn("Top Acc"), TableColumn("Epoch"), TableColumn("Ep@90%"),
                               TableColumn("NF Acc"), TableColumn("Total Knowledge")],
                     rows: study.rows.map { r in
                         [.text(r.method), .integer(r.runs.count), .text(Self.text(r.top, 3)), .text(Self.text(r.epoch, 1)),
                          .text(Self.text(r.epoch90, 1)), .text(Self.text(r.notToForget, 3)), .text(Self.text(r.total, 3))]
                     }, note: notes.joined(separator: "; "))
    }

    /// "0.494 ± 0.012" (or "0.494" for one seed), each number formatted as the single-run
    /// tables format theirs (`NumberText.fixed`: half away from zero), so a one-seed mean
    /// reads like that seed's own row (printf's rounding of the binary value made a Total
    /// of 1.0875 read 1.087 here and 1.088 there).
    static func text(_ s: SeedSummary, _ decimals: Int) -> String {
        let m = NumberText.fixed(s.mean, decimals)
        return s.sd.map { m + " ± " + NumberText.fixed($0, decimals) } ?? m
    }

    public func display(_ ctx: DisplayContext) -> String {
        var s = table.terminal(color: ColorMode(ctx.color))
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }

    public func richOutput(_ ctx: DisplayContext) -> ReportOutput { .table(table) }

    static func record(_ r: CKLStudy.Row) -> Value {
        func sd(_ s: SeedSummary) -> Value { s.sd.map { .number($0) } ?? .null }
        return .makeRecord([
            ("method", .string(r.method)), ("n", .number(Double(r.runs.count))),
            ("top_acc", .number(r.top.mean)), ("top_acc_sd", sd(r.top)),
            ("epoch", .number(r.epoch.mean)), ("epoch_sd", sd(r.epoch)),
            ("epoch90", .number(r.epoch90.mean)), ("epoch90_sd", sd(r.epoch90)),
            ("nf_acc", .number(r.notToForget.mean)), ("nf_acc_sd", sd(r.notToForget)),
            ("total", .number(r.total.mean)), ("total_sd", sd(r.total)),
        ])
    }

    public func member(_ name: String, _ ctx: CallContext) throws(NativeError) -> Value? {
        let s = study, t = table
        func text(_ n: String, _ doc: String, _ f: @escaping () -> String) -> Value {
            .native(NativeFunction(n, doc: doc) { _, _ throws(NativeError) in .string(f()) })
        }
        switch name {
        case "rows": return .makeList(s.rows.map(Self.record))
        case "methods": return .makeList(s.rows.map { .string($0.method) })
        case "seeds": return .number(Double(s.seeds))
        case "table": return .object(CKLTableValue(t))
        case "row":
            return .native(NativeFunction("row", doc: "study.row(method): the record of one method (an error if the study has no such method).",
                                          params: [Param("method")]) { args, _ throws(NativeError) in
                guard case .string(let m) = args[0] else { throw NativeError("row: method must be a string, not a \(args[0].typeName)") }
                guard let r = s.row(m) else {
                    throw NativeError("row: no method \"\(m)\" in this study", hint: "methods: \(s.rows.map(\.method).joined(separator: ", "))")
                }
                return Self.record(r)
            })
        case "to_csv": return text("to_csv", "method,n,top_acc_mean,top_acc_sd,epoch_mean,epoch_sd,epoch90_mean,... as CSV (empty sd with one seed).") { s.toCSV() }
        case "to_json": return text("to_json", "One JSON object per method: n and each metric's mean, sd and per-seed values.") { s.toJSON() }
        case "markdown": return text("markdown", "The table as Markdown.") { t.markdown() }
        case "html": return text("html", "The table as an HTML fragment.") { t.html() }
        default: return nil
        }
    }
}
