import Display
import Language

/// plot, bar and heatmap: build a `figure`, and write it as SVG when given `file:`.
enum PlotBuiltins {
    static var all: [NativeFunction] { [plotFn, barFn, heatmapFn] }

    static var commonOptions: [Param] { [Param("title"), Param("xlabel"), Param("ylabel"), Param("file")] }

    static var plotFn: NativeFunction { NativeFunction(
        "plot",
        doc: """
            A line chart (a figure value). plot(ys), plot(xs, ys), several series as a record \
            plot({train: losses, val: val_losses}) or rows of a matrix; ys may be lists, ranges or tensors, \
            a nil is a gap. A series may also be a record {x: xs, y: ys}. \
            Results plot their curves: plot(results) with a ckl result, a list of them or a compare() table draws \
            TO-LEARN and NOT-TO-FORGET accuracy per epoch, one line per method (two panels); plot(meta_result) \
            draws the meta-loss and the held-out object-share curves. \
            Options: title, xlabel, ylabel, label (series name or names), ylim/xlim ([low, high]), \
            markers (true/false), legend (true/false), file ("name.svg": also write it as SVG).
            """,
        params: commonOptions + [Param("label"), Param("ylim"), Param("xlim"), Param("markers"), Param("legend")],
        variadic: true
    ) { args, _ throws(NativeError) in
        if args.count == 1, let figure = ResultPlots.figure(args[0], title: try PlotData.optionalString(args.named["title"], "plot: title"),
                                                            yRange: try PlotData.range(args.named["ylim"], "plot: ylim")) {
            return try finish(figure, args, "plot")
        }
        let series = try lineSeries(args)
        guard series.contains(where: { !$0.points.isEmpty }) else {
            throw NativeError("plot: no data to plot (every series is empty)", hint: "plot(ys) needs at least one number")
        }
        let chart = LineChart(title: try PlotData.optionalString(args.named["title"], "plot: title"),
                              xLabel: try PlotData.optionalString(args.named["xlabel"], "plot: xlabel"),
                              yLabel: try PlotData.optionalString(args.named["ylabel"], "plot: ylabel"),
                              series: series,
                              yRange: try PlotData.range(args.named["ylim"], "plot: ylim"),
                              xRange: try PlotData.range(args.named["xlim"], "plot: xlim"),
                              legend: try PlotData.optionalBool(args.named["legend"], "plot: legend") ?? (series.count > 1 || args.named["label"] != nil),
                              markers: try PlotData.optionalBool(args.named["markers"], "plot: markers"))
        return try finish(FigureValue(.line(chart)), args, "plot")
    } }

    /// The series of `plot(...)`'s positional arguments.
    static func lineSeries(_ args: Arguments) throws(NativeError) -> [Series] {
        let labels = try args.named["label"].map { v throws(NativeError) in try PlotData.strings(v, "plot: label") }
        var xs: [Double]? = nil
        let data: Value
        switch args.count {
        case 0: throw NativeError("plot: nothing to plot", hint: "plot(ys), plot(xs, ys) or plot({name: ys, ...})")
        case 1: data = args[0]
        case 2:
            xs = try PlotData.numbers(args[0], "plot: xs")
            data = args[1]
        default:
            throw NativeError("plot takes ys, or xs and ys, not \(args.count) positional arguments",
                              hint: "several series go in a record: plot({train: a, val: b})")
        }
        var named: [(String, Value)] = []
        if case .record(let r) = data, !(r.keys.contains("y") && r.keys.allSatisfy { $0 == "x" || $0 == "y" }) {
            named = zip(r.keys, r.values).map { ($0, $1) }
            if let labels, labels.count != named.count {
                throw NativeError("plot: label names \(labels.count) series but there are \(named.count)")
            }
        } else if PlotData.isMatrix(data) {
            let rows = try PlotData.matrix(data, "plot: ys")
            if let labels, labels.count != rows.count {
                throw NativeError("plot: label names \(labels.count) series but ys has \(rows.count) rows")
            }
            return try rows.enumerated().map { i, ys throws(NativeError) in
                try series(labels?[i] ?? "row \(i)", xs: xs, ys: ys)
            }
        } else {
            if let labels, labels.count != 1 { throw NativeError("plot: label names \(labels.count) series but there is 1") }
            named = [(labels?.first ?? "y", data)]
            return [try seriesFrom(named[0].0, named[0].1, sharedX: xs)]
        }
        return try named.enumerated().map { i, pair throws(NativeError) in
            try seriesFrom(labels?[i] ?? pair.0, pair.1, sharedX: xs)
        }
    }

    /// One series from ys, or from a record {x: xs, y: ys}.
    static func seriesFrom(_ name: String, _ v: Value, sharedX: [Double]?) throws(NativeError) -> Series {
        if case .record(let r) = v, let y = r["y"] {
            let ownX = try r["x"].map { v throws(NativeError) in try PlotData.numbers(v, "plot: '\(name)'.x") }
            return try series(name, xs: ownX ?? sharedX, ys: try PlotData.numbers(y, "plot: '\(name)'.y"))
        }
        return try series(name, xs: sharedX, ys: try PlotData.numbers(v, sharedX == nil && name == "y" ? "plot: ys" : "plot: '\(name)'"))
    }

    static func series(_ name: String, xs: [Double]?, ys: [Double]) throws(NativeError) -> Series {
        guard let xs else { return Series(name, y: ys) }
        guard xs.count == ys.count else {
            throw NativeError("plot: xs has \(xs.count) values but \(name == "y" ? "ys" : "series '\(name)'") has \(ys.count)",
                              hint: "each y needs its x; for y alone use plot(ys)")
        }
        return Series(name, x: xs, y: ys)
    }

    static var barFn: NativeFunction { NativeFunction(
        "bar",
        doc: """
            A bar chart (a figure value). bar(values), bar(categories, values), bar({a: 1, b: 2}), \
            or grouped bars bar(categories, {method1: values, method2: values}). \
            Options: title, xlabel, ylabel, label (series name), ylim ([low, high]), file ("name.svg").
            """,
        params: commonOptions + [Param("label"), Param("ylim")],
        variadic: true
    ) { args, _ throws(NativeError) in
        var categories: [String]? = nil
        let data: Value
        switch args.count {
        case 1: data = args[0]
        case 2:
            categories = try PlotData.strings(args[0], "bar: categories")
            data = args[1]
        case 0: throw NativeError("bar: nothing to draw", hint: "bar(values), bar(categories, values) or bar({name: value, ...})")
        default: throw NativeError("bar takes values, or categories and values, not \(args.count) positional arguments")
        }
        let label = try PlotData.optionalString(args.named["label"], "bar: label")
        var groups: [BarChart.Group] = []
        if case .record(let r) = data, categories != nil {
            for (k, v) in zip(r.keys, r.values) { groups.append(.init(k, values: try PlotData.numbers(v, "bar: '\(k)'"))) }
        } else if case .record(let r) = data {
            categories = r.keys
            var values: [Double] = []
            for (k, v) in zip(r.keys, r.values) {
                let n = try PlotData.numbers(v, "bar: '\(k)'")
                guard n.count == 1 else { throw NativeError("bar: '\(k)' must be one number, got \(n.count)", hint: "grouped bars: bar(categories, {name: values})") }
                values.append(n[0])
            }
            groups = [.init(label ?? "value", values: values)]
        } else {
            groups = [.init(label ?? "value", values: try PlotData.numbers(data, "bar: values"))]
        }
        let count = groups.map(\.values.count).max() ?? 0
        let cats = categories ?? (0..<count).map(String.init)
        guard !cats.isEmpty, count > 0 else { throw NativeError("bar: no data to draw (the values are empty)") }
        for g in groups where g.values.count != cats.count {
            throw NativeError("bar: there are \(cats.count) categories but \(groups.count == 1 ? "values has" : "'\(g.name)' has") \(g.values.count) values")
        }
        let chart = BarChart(title: try PlotData.optionalString(args.named["title"], "bar: title"),
                             xLabel: try PlotData.optionalString(args.named["xlabel"], "bar: xlabel"),
                             yLabel: try PlotData.optionalString(args.named["ylabel"], "bar: ylabel"),
                             categories: cats, series: groups,
                             yRange: try PlotData.range(args.named["ylim"], "bar: ylim"),
                             legend: groups.count > 1 || label != nil)
        return try finish(FigureValue(.bar(chart)), args, "bar")
    } }

    static var heatmapFn: NativeFunction { NativeFunction(
        "heatmap",
        doc: """
            A heatmap of a matrix (a figure value): heatmap(m, rows: [...], cols: [...]) with m a 2-D tensor \
            or a list of rows. Options: title, rows, cols (labels), values (numbers in the cells: true/false), \
            file ("name.svg").
            """,
        params: [Param("rows"), Param("cols"), Param("title"), Param("values"), Param("file")],
        variadic: true
    ) { args, _ throws(NativeError) in
        guard args.count == 1 else {
            throw NativeError("heatmap takes one matrix, not \(args.count) positional arguments", hint: "heatmap(m, rows: labels, cols: labels)")
        }
        let m = try PlotData.matrix(args[0], "heatmap: matrix")
        let columns = m.map(\.count).max() ?? 0
        guard !m.isEmpty, columns > 0 else { throw NativeError("heatmap: the matrix is empty") }
        guard m.count * columns <= 250_000 else {
            throw NativeError("heatmap: \(m.count)×\(columns) is too many cells to draw (at most 250000)", hint: "slice it first, e.g. m[0:50, 0:50]")
        }
        let rows = try args.named["rows"].map { v throws(NativeError) in try PlotData.strings(v, "heatmap: rows") } ?? []
        let cols = try args.named["cols"].map { v throws(NativeError) in try PlotData.strings(v, "heatmap: cols") } ?? []
        if !rows.isEmpty, rows.count != m.count { throw NativeError("heatmap: rows has \(rows.count) labels but the matrix has \(m.count) rows") }
        if !cols.isEmpty, cols.count != columns { throw NativeError("heatmap: cols has \(cols.count) labels but the matrix has \(columns) columns") }
        let map = Heatmap(title: try PlotData.optionalString(args.named["title"], "heatmap: title"), values: m,
                          rowLabels: rows, columnLabels: cols,
                          showValues: try PlotData.optionalBool(args.named["values"], "heatmap: values"))
        return try finish(FigureValue(.heatmap(map)), args, "heatmap")
    } }

    /// Writes the SVG when `file:` was given; returns the figure.
    static func finish(_ figure: FigureValue, _ args: Arguments, _ name: String) throws(NativeError) -> Value {
        if let path = try PlotData.optionalString(args.named["file"], "\(name): file") {
            try FigureFile.write(figure.svg(), to: path, what: name)
        }
        return .object(figure)
    }
}
