/// One table cell.
public enum TableCell: Sendable, Hashable {
    case text(String)
    case number(Double)
    case integer(Int)
    case empty

    var numeric: Double? {
        switch self {
        case .number(let d): return d
        case .integer(let i): return Double(i)
        default: return nil
        }
    }
}

extension TableCell: ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(integerLiteral value: Int) { self = .integer(value) }
}

/// A column: its header, how numbers are written, and whether its best value is marked.
public struct TableColumn: Sendable, Hashable {
    public enum Best: Sendable, Hashable { case max, min }
    public var name: String
    /// Digits after the point for `.number` cells; `nil` writes 4 significant digits.
    public var decimals: Int?
    /// Mark the highest (`.max`) or lowest (`.min`) number in this column.
    public var best: Best?

    public init(_ name: String, decimals: Int? = nil, best: Best? = nil) {
        self.name = name; self.decimals = decimals; self.best = best
    }
}

extension TableColumn: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self.init(value) }
}

/// A table of results: rendered aligned in the terminal, as HTML or Markdown, or written
/// as CSV or JSON.
public struct Table: Sendable, Hashable {
    public var title: String?
    public var columns: [TableColumn]
    /// Rows of cells; short rows are padded with `.empty`, extra cells are ignored.
    public var rows: [[TableCell]]
    /// A line under the table (e.g. "… 90 more rows").
    public var note: String?

    public init(title: String? = nil, columns: [TableColumn], rows: [[TableCell]], note: String? = nil) {
        self.title = title; self.columns = columns; self.rows = rows; self.note = note
    }

    func cell(_ r: Int, _ c: Int) -> TableCell { c < rows[r].count ? rows[r][c] : .empty }

    /// A column is numeric (right-aligned) when it has a number and no text.
    func isNumeric(_ c: Int) -> Bool {
        var sawNumber = false
        for r in rows.indices {
            switch cell(r, c) {
            case .text: return false
            case .number, .integer: sawNumber = true
            case .empty: break
            }
        }
        return sawNumber
    }

    /// Row indices holding the best finite value of column `c` (all ties), empty when unmarked.
    func bestRows(_ c: Int) -> Set<Int> {
        guard let best = columns[c].best else { return [] }
        let vals = rows.indices.compactMap { r -> (Int, Double)? in
            guard let v = cell(r, c).numeric, v.isFinite else { return nil }
            return (r, v)
        }
        guard let target = best == .max ? vals.map(\.1).max() : vals.map(\.1).min() else { return [] }
        return Set(vals.filter { $0.1 == target }.map(\.0))
    }

    /// Display text of a cell (empty cells are blank, NaN reads `nan`).
    func text(_ r: Int, _ c: Int) -> String {
        switch cell(r, c) {
        case .text(let s): return s
        case .integer(let i): return String(i)
        case .empty: return ""
        case .number(let d):
            if let k = columns[c].decimals { return NumberText.fixed(d, k) }
            return NumberText.compact(d, significant: 4)
        }
    }

    /// The first `maxRows` rows, with a note saying how many were left out.
    public func truncated(maxRows: Int) -> Table {
        guard rows.count > maxRows, maxRows >= 0 else { return self }
        var t = self
        t.rows = Array(rows.prefix(maxRows))
        t.note = "… \(rows.count - maxRows) more rows" + (note.map { "; " + $0 } ?? "")
        return t
    }
}
