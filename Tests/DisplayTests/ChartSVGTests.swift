import Testing
@testable import Display

@Suite struct ChartSVGTests {
    let chart = LineChart(title: "Accuracy <per> epoch & method", xLabel: "epoch", yLabel: "accuracy",
                          series: [Series("TAALM", y: [0.2, 0.45, 0.61, 0.7], start: 1),
                                   Series("fine-tune \"plain\"", y: [0.2, 0.3, 0.35, 0.38], start: 1)])

    @Test func lineChartIsWellFormedAndHoldsSeriesPoints() throws {
        let svg = chart.svg()
        #expect(xmlError(svg) == nil)
        #expect(svg.contains("Accuracy &lt;per&gt; epoch &amp; method"))
        let polylines = svg.split(separator: "\n").filter { $0.hasPrefix("<polyline") }
        #expect(polylines.count == 2)
        #expect(polylines[0].contains("data-series=\"TAALM\""))
        #expect(polylines[0].contains("data-points=\"1,0.2 2,0.45 3,0.61 4,0.7\""))
        #expect(polylines[1].contains("data-series=\"fine-tune &quot;plain&quot;\""))
        // pixel points: four per line, x increasing, higher values drawn higher (smaller y)
        let pixels = attributeValues("points", in: String(polylines[0]))[0].split(separator: " ").map { pair in
            pair.split(separator: ",").map { Double($0)! }
        }
        #expect(pixels.count == 4)
        #expect(zip(pixels, pixels.dropFirst()).allSatisfy { $0[0] < $1[0] && $0[1] > $1[1] })
    }

    @Test func svgIsDeterministic() {
        #expect(chart.svg() == chart.svg())
        let bars = BarChart(categories: ["a", "b"], series: [.init("x", values: [1, 2])])
        #expect(bars.svg() == bars.svg())
    }

    @Test func nonFiniteValuesBreakLinesAndNothingCrashes() {
        let c = LineChart(series: [Series("loss", y: [1, .nan, 0.5, 0.4, .infinity, 0.3])])
        let svg = c.svg()
        #expect(xmlError(svg) == nil)
        let data = attributeValues("data-points", in: svg)
        #expect(data == ["0,1", "2,0.5 3,0.4", "5,0.3"])
        #expect(!svg.contains("nan") && !svg.contains("inf"))
    }

    @Test func degenerateChartsRender() {
        let cases: [LineChart] = [
            LineChart(series: []),
            LineChart(series: [Series("empty", points: [])]),
            LineChart(series: [Series("flat", y: [3, 3, 3])]),
            LineChart(series: [Series("one", y: [0])]),
            LineChart(series: [Series("all nan", y: [.nan, .nan])]),
            LineChart(series: [Series("huge", x: [0, 1], y: [-1e308, 1e308])]),
            LineChart(series: [Series("clipped", y: [0, 5, 10])], yRange: 2...4),
            LineChart(series: [Series("reversed", y: [1, 2])], yRange: 5...5),
        ]
        for c in cases {
            #expect(xmlError(c.svg()) == nil)
            #expect(xmlError(c.svg(width: 10, height: 10)) == nil)
            #expect(!c.terminal(width: 40, height: 6).isEmpty)
            #expect(!c.terminal(width: 1, height: 0).isEmpty)
        }
        #expect(LineChart(series: []).svg().contains("no data"))
    }

    @Test func barChartHoldsEveryBar() {
        let b = BarChart(title: "Final accuracy", yLabel: "acc", categories: ["TO-LEARN", "NOT-TO-FORGET"],
                         series: [.init("TAALM", values: [0.61, 0.8]), .init("finetune", values: [0.4, .nan]), .init("RHO-1", values: [-0.1])])
        let svg = b.svg()
        #expect(xmlError(svg) == nil)
        #expect(attributeValues("data-value", in: svg) == ["0.61", "0.4", "-0.1", "0.8"])
        #expect(attributeValues("data-category", in: svg).contains("NOT-TO-FORGET"))
        #expect(xmlError(BarChart(categories: [], series: []).svg()) == nil)
    }

    @Test func heatmapCellsAndLegend() {
        let h = Heatmap(title: "attention", values: [[0, 0.5], [1, .nan], [0.25]], rowLabels: ["a", "b", "c"], columnLabels: ["x", "y"])
        let svg = h.svg()
        #expect(xmlError(svg) == nil)
        #expect(attributeValues("data-value", in: svg) == ["0", "0.5", "1", "nan", "0.25", "nan"])
        #expect(svg.contains("linearGradient"))
        #expect(xmlError(Heatmap(values: []).svg()) == nil)
        #expect(xmlError(Heatmap(values: [[-2, 3]]).svg()) == nil)
    }

    @Test func twoChartsGetDistinctClipIds() {
        let other = LineChart(series: [Series("b", y: [1, 2])])
        #expect(attributeValues("id", in: chart.svg()) != attributeValues("id", in: other.svg()))
    }

    @Test func niceTicks() {
        let t = Ticks(lo: 0.03, hi: 0.97, target: 5)
        #expect(t.values.first == 0 && t.values.last == 1)
        #expect(t.labels == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let big = Ticks(lo: 0, hi: 12345, target: 5)
        #expect(big.step == 2000 && big.labels.last == "14000")
        let flat = Ticks(lo: 5, hi: 5)
        #expect(flat.lower < 5 && flat.upper > 5)
        let nothing = Ticks(lo: .nan, hi: .infinity)
        #expect(nothing.lower == 0 && nothing.upper == 1)
    }
}
