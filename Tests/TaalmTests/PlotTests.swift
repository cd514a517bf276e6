import Foundation
import Testing
import Display
import Language
import Runtime

/// plot, bar, heatmap, table and weights_view as taalm builtins.
@Suite struct PlotTests {
    /// The SVG of a taalm expression that makes a figure.
    func svg(_ expression: String) throws -> String {
        let r = runTaalm("print(\(expression).svg())")
        if let e = r.error { throw e }
        return r.output
    }

    func errorMessage(_ source: String) -> String? {
        runTaalm(source).error.map { Diagnostics.render($0) }
    }

    @Test func aChartsSVGHoldsItsSeriesPoints() throws {
        let text = try svg("plot({train: [4, 2, 1.5], val: tensor([5, 3, 2.5])}, title: \"loss\")")
        let probe = XMLProbe(text)
        #expect(probe.error == nil)
        let lines = probe.all("polyline")
        #expect(lines.map { $0.attributes["data-series"] } == ["train", "val"])
        #expect(lines[0].attributes["data-points"] == "0,4 1,2 2,1.5")
        #expect(lines[1].attributes["data-points"] == "0,5 1,3 2,2.5")
    }

    @Test func xsPairWithYsAndNilBreaksTheLine() throws {
        let probe = XMLProbe(try svg("plot(range(10, 14), [1, 2, nil, 4])"))
        #expect(probe.all("polyline").compactMap { $0.attributes["data-points"] } == ["10,1 11,2", "13,4"])
    }

    @Test func matrixRowsAreSeries() throws {
        let probe = XMLProbe(try svg("plot(tensor([[1, 2], [3, 4]]), label: [\"a\", \"b\"])"))
        #expect(probe.all("polyline").compactMap { $0.attributes["data-series"] } == ["a", "b"])
    }

    @Test func barAndHeatmapAreWellFormed() throws {
        #expect(XMLProbe(try svg("bar([\"x\", \"y\"], {m1: [1, 2], m2: [3, 4]})")).error == nil)
        #expect(XMLProbe(try svg("heatmap([[1, 2], [3, 4]], rows: [\"a\", \"b\"], cols: [\"<c>\", \"d\"])")).error == nil)
    }

    /// Golden text: the terminal drawing with colour off is stable.
    @Test func terminalRenderingIsStable() {
        let r = runTaalm("print(plot({a: [0, 1, 2, 3], b: [3, 2, 1, 0]}, title: \"cross\").text(width: 30))")
        let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("golden/plot_cross.txt")
        let expected = (try? String(contentsOf: golden, encoding: .utf8)) ?? "(missing golden/plot_cross.txt)"
        #expect(r.error == nil)
        #expect(r.output == expected, "got:\n\(r.output)")
    }

    @Test func plotErrorsAreClear() {
        #expect(errorMessage("plot([1, 2, 3], [1, 2])")?.hasPrefix("test.taalm:1:1: error: plot: xs has 3 values but ys has 2") == true)
        #expect(errorMessage("plot([])")?.contains("plot: no data to plot") == true)
        #expect(errorMessage("plot()")?.contains("plot: nothing to plot") == true)
        #expect(errorMessage("plot([1, \"a\"])")?.contains("plot: ys[1] is a string, expected a number") == true)
        #expect(errorMessage("plot(zeros(2, 2, 2))")?.contains("must be a 2-D matrix") == true
                || errorMessage("plot(zeros(2, 2, 2))")?.contains("must be a vector") == true)
        #expect(errorMessage("plot([1], ylim: [2, 1])")?.contains("plot: ylim must be [low, high]") == true)
        #expect(errorMessage("plot([1], colour: 1)")?.contains("plot has no parameter named 'colour'") == true)
        #expect(errorMessage("plot([1], file: \"/no/such/folder/x.svg\")")?
            .contains("plot: cannot write '/no/such/folder/x.svg': the folder '/no/such/folder' does not exist") == true)
        #expect(errorMessage("plot([1], file: \"x.png\")")?.contains("the file name must end in .svg") == true)
        #expect(errorMessage("bar([\"a\", \"b\"], [1])")?.contains("bar: there are 2 categories but values has 1 values") == true)
        #expect(errorMessage("heatmap([])")?.contains("heatmap: the matrix is empty") == true)
        #expect(errorMessage("heatmap([[1, 2]], cols: [\"a\"])")?.contains("cols has 1 labels but the matrix has 2 columns") == true)
        #expect(errorMessage("weights_view([\"a\", \"b\"], [1])")?.contains("weights has 1 values but there are 2 tokens") == true)
    }

    @Test func fileWritesTheSVGAtomically() throws {
        let dir = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/loss.svg"
        let r = runTaalm("let f = plot([3, 2, 1], file: \"\(path)\")\nf.save(\"\(dir)/again.svg\")")
        #expect(r.error == nil)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(XMLProbe(written).error == nil)
        #expect(written == (try String(contentsOfFile: dir + "/again.svg", encoding: .utf8)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["again.svg", "loss.svg"])
    }

    @Test func tablesExportAndIndex() throws {
        let source = """
            let t = table([{method: "TA", acc: 0.61, n: 3}, {method: "uniform", acc: 0.5, n: 4}], best: {acc: "max"})
            print(t.csv())
            print(t["acc"], t[1].method, len(t), t.columns)
            print(t)
            """
        let r = runTaalm(source)
        #expect(r.error == nil, "\(r.error.map { Diagnostics.render($0) } ?? "")")
        #expect(r.output == """
            method,acc,n
            TA,0.61,3
            uniform,0.5,4

            [0.61, 0.5] uniform 2 ["method", "acc", "n"]
            method    acc   n
            ───────  ─────  ─
            TA       0.61*  3
            uniform   0.5   4
            * best in column

            """)
        #expect(errorMessage("table({a: [1, 2], b: [1]})")?.contains("table: column 'b' has 1 values but 'a' has 2") == true)
        #expect(errorMessage("table([{a: 1}], best: {z: \"max\"})")?.contains("best names the column 'z'") == true)
    }

    @Test func richDisplays() throws {
        let r = runTaalm("let t = tensor([[1, 2.5], [3, 4]])\nlet w = weights_view(\"x y\", [0.25, 1])")
        let ctx = DisplayContext()
        guard case .object(let tensor) = r.interp.global("t"), let rich = tensor as? any RichDisplay,
              case .table(let table) = rich.richOutput(ctx) else {
            Issue.record("a tensor's rich form is a table"); return
        }
        #expect(table.columns.map(\.name) == ["", "0", "1"])
        #expect(table.note == "tensor [2, 2] float32")
        guard case .object(let view) = r.interp.global("w"), let wv = view as? any RichDisplay,
              case .html(let html) = wv.richOutput(ctx) else {
            Issue.record("a weights view's rich form is HTML"); return
        }
        #expect(html.contains("data-value=\"0.25\""))
        #expect(!view.display(ctx).contains("\u{1B}"), "no colour unless the context asks for it")
    }
}

/// The progress service native loops use.
@Suite struct ProgressSinkTests {
    @Test func terminalRedrawsAndEndsWithANewline() {
        var live = ""
        var summaries: [String] = []
        var now = 0.0
        let out = ProgressOutput(stream: { live += $0 }, isTerminal: true, width: { 60 }, summary: { summaries.append($0) },
                                 clock: { now })
        let bar = ProgressSink(label: "train", total: 100, output: out)
        for i in 1...100 {
            now += 0.01
            bar.update(done: i, fields: [("loss", "0.5")])
        }
        bar.finish()
        bar.finish()
        let draws = live.components(separatedBy: "\r").count - 1
        #expect(draws >= 2 && draws <= 12, "throttled to about ten redraws a second: \(draws)")
        #expect(live.hasSuffix("\n") && live.contains("100/100"))
        #expect(summaries == ["train: 100/100 (100%) in 0:01, 100 it/s, loss 0.5\n"])
    }

    @Test func offATerminalOnlyTheSummaryLine() {
        var live = ""
        var now = 0.0
        let out = ProgressOutput(stream: { live += $0 }, isTerminal: false, clock: { now })
        let bar = ProgressSink(label: "epochs", total: 3, output: out)
        for i in 1...3 { now += 1; bar.update(done: i) }
        bar.finish()
        #expect(live == "epochs: 3/3 (100%) in 0:03, 1 it/s\n")
    }
}
