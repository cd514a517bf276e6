import Display
import Language

/// A table of results as a taalm value: aligned text in the terminal, an HTML table in
/// reports, `.csv()` / `.json()` exports, `t["acc"]` a column, `t[0]` a row record.
final class TableValue: NativeObject, RichDisplay {
    let table: Table
    /// The cells as taalm values (exports and indexing hand these back unchanged).
    let cells: [[Value]]

    init(table: Table, cells: [[Value]]) { self.table = table; self.cells = cells }

    /// Rows shown in the terminal and in reports; exports always hold every row.
    static let terminalRows = 40
    static let reportRows = 200

    var typeName: String { "table" }
    var doc: String {
        "A table made by table(...). Export with .csv(), .json(), .save_csv(path), .save_json(path); "
            + "t[\"col\"] is a column, t[i] a row.\nMembers: " + Self.memberList.joined(separator: ", ")
    }
    static let memberList = ["columns", "title", "csv", "json", "markdown", "save_csv", "save_json"]
    var memberNames: [String] { Self.memberList }
    var shortSummary: String { "\(plural(table.rows.count, "row", "rows")) × \(plural(table.columns.count, "column", "columns"))" }
    var length: Int? { cells.count }

    func display(_ ctx: DisplayContext) -> String {
        let text = table.truncated(maxRows: Self.terminalRows).terminal(color: TerminalStyle.mode(ctx))
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    func richOutput(_ ctx: DisplayContext) -> ReportOutput { .table(table.truncated(maxRows: Self.reportRows)) }

    func member(_ name: String, _ ctx: CallContext) throws(NativeError) -> Value? {
        switch name {
        case "columns": return .makeList(table.columns.map { .string($0.name) })
        case "title": return table.title.map { .string($0) } ?? .null
        case "csv": return method("csv", "The table as CSV text (RFC 4180, every row).") { [self] in .string(self.table.csv(lineEnding: "\n")) }
        case "json": return method("json", "The table as JSON: an array of row objects.") { [self] in .string(self.table.json(.records)) }
        case "markdown": return method("markdown", "The table as a Markdown pipe table.") { [self] in .string(self.table.markdown()) }
        case "save_csv": return saver("save_csv", "Writes the table as a CSV file: t.save_csv(\"results.csv\").") { [self] in self.table.csv(lineEnding: "\n") }
        case "save_json": return saver("save_json", "Writes the table as a JSON file (an array of row objects).") { [self] in self.table.json(.records) }
        default: return nil
        }
    }

    private func method(_ name: String, _ doc: String, _ body: @escaping () -> Value) -> Value {
        .native(NativeFunction(name, doc: doc) { _, _ throws(NativeError) in body() })
    }

    private func saver(_ name: String, _ doc: String, _ text: @escaping () -> String) -> Value {
        .native(NativeFunction(name, doc: doc, params: [Param("path")]) { args, _ throws(NativeError) in
            let path = try args.string(0)
            do throws(AtomicFile.Failure) { try AtomicFile.write(text(), to: path) } catch {
                throw NativeError("\(name): cannot write '\(path)': \(error.message)")
            }
            return .null
        })
    }

    func `subscript`(_ index: [IndexComponent], _ ctx: CallContext) throws(NativeError) -> Value? {
        guard index.count == 1, case .value(let key) = index[0] else {
            throw NativeError("a table takes one index: t[\"column\"] or t[row]")
        }
        switch key {
        case .string(let name):
            guard let c = table.columns.firstIndex(where: { $0.name == name }) else {
                throw NativeError("the table has no column '\(name)'",
                                  hint: "its columns: " + table.columns.map(\.name).joined(separator: ", "))
            }
            return .makeList(cells.map { c < $0.count ? $0[c] : .null })
        case .number(let d):
            guard d == d.rounded(), abs(d) < 1e15 else { throw NativeError("a row index must be an integer, got \(ValueText.number(d))") }
            var i = Int(d)
            if i < 0 { i += cells.count }
            guard i >= 0, i < cells.count else { throw NativeError("row \(Int(d)) is out of range for a table of \(cells.count) rows") }
            return record(i)
        default:
            throw NativeError("a table is indexed by a column name or a row number, not \(key.typeName)")
        }
    }

    func iterate(_ ctx: CallContext) throws(NativeError) -> [Value]? { cells.indices.map(record) }

    func record(_ r: Int) -> Value {
        .makeRecord(table.columns.enumerated().map { c, col in (col.name, c < cells[r].count ? cells[r][c] : .null) })
    }
}
