import Display
import Language
import TensorCore

/// `table(...)`: a table value from records, rows, columns or a matrix.
enum TableBuiltins {
    static var all: [NativeFunction] { [tableFn] }

    static var tableFn: NativeFunction {
        NativeFunction(
            "table",
            doc: """
                A table value. table([{method: "TA", acc: 0.61}, ...]) from row records, \
                table({method: [...], acc: [...]}) from columns, table(rows, columns: ["a", "b"]) from lists \
                or a 2-D tensor. Options: columns, title, decimals (digits after the point: a number, or {col: digits}), \
                best ({acc: "max", loss: "min"}: marks the best value of those columns).
                """,
            params: [Param("columns"), Param("title"), Param("decimals"), Param("best")],
            variadic: true
        ) { args, _ throws(NativeError) in
            guard args.count == 1 else {
                throw NativeError("table takes one data argument, not \(args.count)",
                                  hint: "table(rows, columns: [...]) or table([{a: 1}, {a: 2}])")
            }
            let (names, rows) = try layout(args[0], columns: args.named["columns"])
            let decimals = try decimalsOption(args.named["decimals"], names)
            let best = try bestOption(args.named["best"], names)
            let columns = names.map { name in TableColumn(name, decimals: decimals(name), best: best[name]) }
            let integerColumns = Set(names.indices.filter { c in
                var any = false
                for row in rows where c < row.count {
                    guard case .number(let d) = row[c] else {
                        if case .null = row[c] { continue }
                        return false
                    }
                    guard d.isFinite, d == d.rounded(), abs(d) < 1e15 else { return false }
                    any = true
                }
                return any
            })
            let tableRows = rows.map { row in names.indices.map { c in c < row.count ? cell(row[c], integer: integerColumns.contains(c)) : TableCell.empty } }
            let table = Table(title: try PlotData.optionalString(args.named["title"], "table: title"), columns: columns, rows: tableRows)
            return .object(TableValue(table: table, cells: rows))
        }
    }

    /// Column names and rows of values from the data argument.
    static func layout(_ data: Value, columns: Value?) throws(NativeError) -> ([String], [[Value]]) {
        let given = try columns.flatMap { v throws(NativeError) -> [String]? in v.isNil ? nil : try PlotData.strings(v, "table: columns") }
        switch data {
        case .record(let r):
            // columns: {name: [values], ...}
            var lists: [[Value]] = []
            for (k, v) in zip(r.keys, r.values) {
                switch v {
                case .list(let l): lists.append(l.items)
                default:
                    if TensorConvert.tensor(v) != nil || { if case .range = v { return true }; return false }() {
                        lists.append(try PlotData.numbers(v, "table: column '\(k)'").map { .number($0) })
                    } else {
                        lists.append([v])
                    }
                }
            }
            let n = lists.first?.count ?? 0
            for (k, l) in zip(r.keys, lists) where l.count != n {
                throw NativeError("table: column '\(k)' has \(l.count) values but '\(r.keys[0])' has \(n)",
                                  hint: "columns of a table must have the same length")
            }
            var names = r.keys
            if let given {
                guard given.count == names.count else { throw NativeError("table: columns names \(given.count) columns but the record has \(names.count)") }
                names = given
            }
            return (names, (0..<n).map { i in lists.map { $0[i] } })
        case .list(let l):
            let isRecords = l.items.contains { if case .record = $0 { return true }; return false }
            if isRecords {
                var names: [String] = []
                var seen = Set<String>()
                for (i, item) in l.items.enumerated() {
                    guard case .record(let r) = item else {
                        throw NativeError("table: row \(i) is \(PlotData.article(item)); a list of records needs a record in every row")
                    }
                    for k in r.keys where seen.insert(k).inserted { names.append(k) }
                }
                let order = given ?? names
                let rows: [[Value]] = l.items.map { item in
                    guard case .record(let r) = item else { return [] }
                    return order.map { r[$0] ?? .null }
                }
                return (order, rows)
            }
            var rows: [[Value]] = []
            for item in l.items {
                switch item {
                case .list(let row): rows.append(row.items)
                default:
                    if let t = TensorConvert.tensor(item), t.rank == 1 {
                        rows.append(t.scalars.map { TensorConvert.number($0) })
                    } else {
                        rows.append([item])
                    }
                }
            }
            let width = rows.map(\.count).max() ?? 0
            if let given {
                guard given.count >= width else {
                    throw NativeError("table: columns names \(given.count) columns but a row has \(width) values")
                }
                return (given, rows)
            }
            let isColumn = l.items.allSatisfy { if case .list = $0 { return false }; return true } && !l.items.isEmpty
            return (isColumn && width == 1 ? ["value"] : (0..<width).map(String.init), rows)
        default:
            if let t = TensorConvert.tensor(data) {
                guard t.rank == 2 || t.rank == 1 else {
                    throw NativeError("table: a tensor must be 1-D or 2-D, got shape \(shapeString(t.shape))")
                }
                let cols = t.rank == 2 ? t.shape[1] : 1
                let s = t.scalars
                let rows = (0..<t.shape[0]).map { r in (0..<cols).map { TensorConvert.number(s[r * cols + $0]) } }
                let names = given ?? (t.rank == 1 ? ["value"] : (0..<cols).map(String.init))
                guard names.count == cols else { throw NativeError("table: columns names \(names.count) columns but the tensor has \(cols)") }
                return (names, rows)
            }
            throw NativeError("table needs a list of records, a record of columns, a list of rows or a tensor, not \(data.typeName)")
        }
    }

    static func cell(_ v: Value, integer: Bool) -> TableCell {
        switch v {
        case .null: return .empty
        case .number(let d): return integer ? .integer(Int(d)) : .number(d)
        case .string(let s): return .text(s)
        case .bool(let b): return .text(b ? "true" : "false")
        default:
            if let t = TensorConvert.tensor(v), t.count == 1 { return .number(Double(t.scalars[0])) }
            return .text(ValueText.repr(v))
        }
    }

    /// `decimals: 3` for every column, or `{acc: 3, lr: 2}` per column; nil = 4 significant digits.
    static func decimalsOption(_ v: Value?, _ names: [String]) throws(NativeError) -> (String) -> Int? {
        func digits(_ v: Value, _ what: String) throws(NativeError) -> Int {
            guard case .number(let d) = v, d == d.rounded(), d >= 0, d <= 12 else {
                throw NativeError("table: \(what) must be a whole number from 0 to 12, got \(ValueText.repr(v))")
            }
            return Int(d)
        }
        guard let v, !v.isNil else { return { _ in nil } }
        if case .record(let r) = v {
            var perColumn: [String: Int] = [:]
            for (k, d) in zip(r.keys, r.values) {
                guard names.contains(k) else {
                    throw NativeError("table: decimals names the column '\(k)', which the table does not have",
                                      hint: "its columns: " + names.joined(separator: ", "))
                }
                perColumn[k] = try digits(d, "decimals['\(k)']")
            }
            return { perColumn[$0] }
        }
        let all = try digits(v, "decimals")
        return { _ in all }
    }

    static func bestOption(_ v: Value?, _ names: [String]) throws(NativeError) -> [String: TableColumn.Best] {
        guard let v, !v.isNil else { return [:] }
        guard case .record(let r) = v else {
            throw NativeError("table: best must be a record like {acc: \"max\", loss: \"min\"}, not \(v.typeName)")
        }
        var out: [String: TableColumn.Best] = [:]
        for (k, rule) in zip(r.keys, r.values) {
            guard names.contains(k) else {
                throw NativeError("table: best names the column '\(k)', which the table does not have",
                                  hint: "its columns: " + names.joined(separator: ", "))
            }
            switch rule.stringValue {
            case "max": out[k] = .max
            case "min": out[k] = .min
            default: throw NativeError("table: best['\(k)'] must be \"max\" or \"min\", got \(ValueText.repr(rule))")
            }
        }
        return out
    }
}
