import Display
import Language
import TensorCore

/// Tensors in reports: a scalar or a vector or matrix as an HTML table (at most 20 rows
/// and 12 columns, the rest counted in a note), higher ranks as their text.
extension TensorValue: RichDisplay {
    static let reportRows = 20
    static let reportColumns = 12

    public func richOutput(_ ctx: DisplayContext) -> ReportOutput {
        let t = tensor
        guard t.rank == 1 || t.rank == 2, t.count > 0 else { return .text(TensorText.render(t)) }
        let rows = t.rank == 2 ? t.shape[0] : 1
        let cols = t.rank == 2 ? t.shape[1] : t.shape[0]
        let shownRows = min(rows, Self.reportRows), shownCols = min(cols, Self.reportColumns)
        let s = t.scalars
        let indexColumn = t.rank == 2
        var columns = indexColumn ? [TableColumn("")] : []
        columns += (0..<shownCols).map { TableColumn(String($0)) }
        if shownCols < cols { columns.append(TableColumn("…")) }
        let body: [[TableCell]] = (0..<shownRows).map { r in
            var row: [TableCell] = indexColumn ? [.text(String(r))] : []
            row += (0..<shownCols).map { c in
                let v = s[r * cols + c]
                return v.isFinite && v == v.rounded() && abs(v) < 1e7 ? .integer(Int(v)) : .number(Double(v))
            }
            if shownCols < cols { row.append(.text("…")) }
            return row
        }
        // The shape goes in the note under the table: a caption would wrap at a narrow table's width.
        var note = "tensor " + shapeString(t.shape) + " float32"
        if shownRows < rows { note += " · \(rows - shownRows) more rows" }
        if shownCols < cols { note += " · \(cols - shownCols) more columns" }
        return .table(Table(columns: columns, rows: body, note: note))
    }
}
