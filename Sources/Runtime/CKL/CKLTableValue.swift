import CKL
import Display
import Language

/// A result table as a taalm value: aligned in the terminal (best values marked), and
/// exported with `to_csv()`, `to_json()`, `markdown()`, `html()`.
public final class CKLTableValue: NativeObject, RichDisplay {
    public let table: Table
    /// The LAMA-ckl runs the table compares (from `compare`), so `plot(table)` can draw their curves.
    public let results: [CKLResult]
    public init(_ table: Table, results: [CKLResult] = []) { self.table = table; self.results = results }

    public var typeName: String { "table" }
    public var doc: String { "A table. Methods: to_csv(), to_json(), markdown(), html(); member rows (list of records)." }
    public var shortSummary: String { "table, \(table.rows.count) rows" }
    public var memberNames: [String] { ["rows", "columns", "to_csv", "to_json", "markdown", "html"] }
    public var length: Int? { table.rows.count }

    public func display(_ ctx: DisplayContext) -> String {
        var s = table.terminal(color: ColorMode(ctx.color))
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }

    /// In a report: the table as HTML, best values highlighted.
    public func richOutput(_ ctx: DisplayContext) -> ReportOutput { .table(table) }

    static func value(_ c: TableCell) -> Value {
        switch c {
        case .text(let s): return .string(s)
        case .number(let d): return .number(d)
        case .integer(let i): return .number(Double(i))
        case .empty: return .null
        }
    }

    public func member(_ name: String, _ ctx: CallContext) throws(NativeError) -> Value? {
        let t = table
        func method(_ n: String, _ doc: String, _ f: @escaping () -> String) -> Value {
            .native(NativeFunction(n, doc: doc) { _, _ throws(NativeError) in .string(f()) })
        }
        switch name {
        case "columns": return .makeList(t.columns.map { .string($0.name) })
        case "rows":
            return .makeList(t.rows.map { row in
                .makeRecord(t.columns.enumerated().map { c, col in (col.name, c < row.count ? Self.value(row[c]) : .null) })
            })
        case "to_csv": return method("to_csv", "The table as CSV text.") { t.csv(lineEnding: "\n") }
        case "to_json": return method("to_json", "The table as a JSON array of row objects.") { t.json() }
        case "markdown": return method("markdown", "The table as Markdown.") { t.markdown() }
        case "html": return method("html", "The table as an HTML fragment.") { t.html() }
        default: return nil
        }
    }
}
