/// One (x, y) data point.
public struct ChartPoint: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
    var isFinite: Bool { x.isFinite && y.isFinite }
}

/// A named line: points in the order they are joined.
public struct Series: Sendable, Hashable {
    public var name: String
    public var points: [ChartPoint]

    public init(_ name: String, points: [ChartPoint]) { self.name = name; self.points = points }

    /// Pairs `x[i]` with `y[i]` (the longer list is cut to the shorter).
    public init(_ name: String, x: [Double], y: [Double]) {
        self.init(name, points: zip(x, y).map { ChartPoint($0, $1) })
    }

    /// `y[i]` at x = `start + i` (e.g. `start: 1` for per-epoch curves).
    public init(_ name: String, y: [Double], start: Double = 0) {
        self.init(name, points: y.enumerated().map { ChartPoint(start + Double($0.offset), $0.element) })
    }

    /// Runs of consecutive finite points; a NaN or infinite point breaks the line.
    var segments: [[ChartPoint]] {
        var out: [[ChartPoint]] = []
        var current: [ChartPoint] = []
        for p in points {
            if p.isFinite { current.append(p) } else if !current.isEmpty { out.append(current); current = [] }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}

/// Several named series of (x, y) points on shared axes.
public struct LineChart: Sendable, Hashable {
    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    public var series: [Series]
    /// Fixed y range (points outside are clipped); `nil` fits the data.
    public var yRange: ClosedRange<Double>?
    /// Fixed x range; `nil` fits the data.
    public var xRange: ClosedRange<Double>?
    public var legend: Bool
    /// Dots on data points: `nil` draws them when a series has at most 60 points.
    public var markers: Bool?

    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil, series: [Series],
                yRange: ClosedRange<Double>? = nil, xRange: ClosedRange<Double>? = nil,
                legend: Bool = true, markers: Bool? = nil) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.series = series
        self.yRange = yRange; self.xRange = xRange; self.legend = legend; self.markers = markers
    }

    var finitePoints: [ChartPoint] { series.flatMap { $0.points.filter(\.isFinite) } }

    /// The x and y ranges to draw (fixed ranges win; degenerate ranges are widened).
    /// `margin` adds 4% above and below a fitted y range (for SVG, so dots clear the frame).
    func ranges(margin: Bool = false) -> (x: (Double, Double), y: (Double, Double)) {
        let pts = finitePoints
        let xs = pts.map(\.x), ys = pts.map(\.y)
        let x = xRange.map { ($0.lowerBound, $0.upperBound) } ?? (xs.min() ?? 0, xs.max() ?? 1)
        guard let fixed = yRange else {
            // fitted y: a 4% margin so points never sit on the frame, then nice ticks widen it
            let (lo, hi) = Ticks.repair(ys.min() ?? 0, ys.max() ?? 1)
            let pad = margin ? (hi - lo) * 0.04 : 0
            return (Ticks.repair(x.0, x.1), (lo - pad, hi + pad))
        }
        return (Ticks.repair(x.0, x.1), Ticks.repair(fixed.lowerBound, fixed.upperBound))
    }

    /// True when every finite x is a whole number (epochs, steps): ticks then stay whole.
    var integerX: Bool {
        let xs = finitePoints.map(\.x)
        return !xs.isEmpty && xs.allSatisfy { $0 == $0.rounded() && abs($0) < 1e15 }
    }
}

/// Grouped bars: for each category, one bar per series.
public struct BarChart: Sendable, Hashable {
    public struct Group: Sendable, Hashable {
        public var name: String
        /// One value per category; missing or NaN values draw no bar.
        public var values: [Double]
        public init(_ name: String, values: [Double]) { self.name = name; self.values = values }
    }

    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    public var categories: [String]
    public var series: [Group]
    public var yRange: ClosedRange<Double>?
    public var legend: Bool
    /// Numbers on the bars: `nil` shows them when there are at most 24 bars.
    public var showValues: Bool?

    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil, categories: [String],
                series: [Group], yRange: ClosedRange<Double>? = nil, legend: Bool = true, showValues: Bool? = nil) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.categories = categories
        self.series = series; self.yRange = yRange; self.legend = legend; self.showValues = showValues
    }

    /// Value of series `s` at category `c`, NaN when missing.
    func value(_ s: Int, _ c: Int) -> Double {
        let v = series[s].values
        return c < v.count ? v[c] : .nan
    }

    /// The value range to draw; always includes zero (bars start there).
    func range() -> (Double, Double) {
        if let r = yRange { return Ticks.repair(r.lowerBound, r.upperBound) }
        let vs = series.flatMap(\.values).filter(\.isFinite)
        return Ticks.repair(min(0, vs.min() ?? 0), max(0, vs.max() ?? 1))
    }

    var barCount: Int { categories.count * series.count }
}

/// A matrix of values drawn as coloured cells.
public struct Heatmap: Sendable, Hashable {
    public var title: String?
    /// Rows of values; ragged rows are padded with NaN (drawn as empty grey cells).
    public var values: [[Double]]
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// `nil` fits the values (diverging when any is negative).
    public var mapping: ColorMapping?
    /// Numbers in the cells: `nil` shows them when the matrix has at most 150 cells.
    public var showValues: Bool?

    public init(title: String? = nil, values: [[Double]], rowLabels: [String] = [], columnLabels: [String] = [],
                mapping: ColorMapping? = nil, showValues: Bool? = nil) {
        self.title = title; self.values = values; self.rowLabels = rowLabels; self.columnLabels = columnLabels
        self.mapping = mapping; self.showValues = showValues
    }

    var rows: Int { values.count }
    var columns: Int { values.map(\.count).max() ?? 0 }
    func value(_ r: Int, _ c: Int) -> Double { c < values[r].count ? values[r][c] : .nan }
    func rowLabel(_ r: Int) -> String { r < rowLabels.count ? rowLabels[r] : String(r) }
    func columnLabel(_ c: Int) -> String { c < columnLabels.count ? columnLabels[c] : String(c) }
    var resolvedMapping: ColorMapping { mapping ?? .fitted(to: values.flatMap { $0 }) }
}

/// FNV-1a over text, for deterministic element ids (two charts inline in one page must not
/// share a clip-path id).
func stableHash(_ text: String) -> String {
    var h: UInt64 = 0xcbf29ce484222325
    for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
    let digits = Array("0123456789abcdef")
    var s = ""
    for i in stride(from: 60, through: 0, by: -4) where s.count < 10 { s.append(digits[Int((h >> UInt64(i)) & 0xF)]) }
    return s
}
