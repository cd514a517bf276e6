import Foundation
import Testing
import Display
import Language
import Runtime

/// `NotebookRunner`: cells run in order in one interpreter, each cell's outputs land in
/// its own report cell, errors stop the run and point into the file.
@Suite struct NotebookRunnerTests {
    static let notebook = """
        # %% [markdown]
        # # Squares
        # A short *notebook*.

        # %% Setup
        let xs = range(1, 6)
        print("five numbers")

        # %% [markdown]
        # Now the squares.

        # %% Squares
        let ys = xs.map(fn(x) { x * x })
        print("sum", ys.sum())
        plot(xs, ys, title: "squares")

        # %%
        ys[-1]
        """

    @Test func cellsSplitIntoTitledCodeAndMarkdown() {
        let result = quietRunner().run(source: Self.notebook, file: "nb.taalm")
        let cells = result.report.cells
        #expect(result.report.title == "Squares", "a leading '# Heading' becomes the title")
        #expect(cells.count == 5)
        #expect(cells[0].markdownText == "A short *notebook*.", "the heading leaves the first cell")
        #expect(cells[1].title == "Setup" && cells[1].line == 6)
        #expect(cells[2].markdownText == "Now the squares.")
        #expect(cells[3].title == "Squares" && cells[3].line == 13)
        #expect(cells[4].title == nil && cells[4].line == 18)
        #expect(result.exitCode == 0 && result.errors.isEmpty && result.cellsRun == 3)
    }

    @Test func aFileWithoutMarkersIsOneCell() {
        let result = quietRunner().run(source: "let a = 2\nprint(a * 21)\n", file: "plain.taalm")
        #expect(result.report.title == "plain.taalm")
        #expect(result.report.cells.count == 1)
        #expect(result.report.cells[0].codeOutputs == [.stdout("42\n")])
    }

    @Test func eachCellsOutputLandsInItsCell() throws {
        let cells = quietRunner().run(source: Self.notebook, file: "nb.taalm").report.cells
        #expect(cells[1].codeOutputs == [.stdout("five numbers\n")])
        let squares = try #require(cells[3].codeOutputs)
        #expect(squares.count == 2)
        #expect(squares[0] == .stdout("sum 55\n"))
        guard case .svg(let svg, _) = squares[1] else { Issue.record("the figure should be an inline SVG: \(squares)"); return }
        #expect(svg.contains("squares"))
        #expect(cells[4].codeOutputs == [.text("25  : number")], "a bare last value is echoed as in the REPL")
    }

    @Test func showEmitsRichOutputsInOrder() {
        let source = """
            print("before")
            show(plot([1, 2, 3]), table([{a: 1}]))
            print("after")
            """
        let outputs = quietRunner().run(source: source, file: "s.taalm").report.cells[0].codeOutputs ?? []
        #expect(outputs.count == 4)
        #expect(outputs.first == .stdout("before\n") && outputs.last == .stdout("after\n"))
        if case .svg = outputs[1] {} else { Issue.record("second output should be the figure: \(outputs[1])") }
        if case .table(let t) = outputs[2] { #expect(t.columns.map(\.name) == ["a"]) } else { Issue.record("third output should be the table") }
    }

    static let failing = """
        # %% one
        print("ran")

        # %% two
        let bad = [1, 2]
        print(bad[5])

        # %% three
        print("after the error")
        """

    @Test func anErrorStopsTheRunAndPointsIntoTheFile() throws {
        let result = quietRunner().run(source: Self.failing, file: "fail.taalm")
        #expect(result.exitCode == 70)
        #expect(result.report.cells.count == 2, "cells after the error are left out")
        #expect(result.cellsSkipped == 1)
        let outputs = try #require(result.report.cells[1].codeOutputs)
        guard case .error(let text) = outputs.last else { Issue.record("the failing cell should end with its error: \(outputs)"); return }
        #expect(text.hasPrefix("fail.taalm:6:"), "the location is the file's line 6: \(text)")
        #expect(text.contains(" 6 | print(bad[5])"), "the caret line shows the file's line: \(text)")
        #expect(result.report.subtitle?.contains("stopped at the error in code cell [2] (line 5)") == true)
    }

    @Test func keepGoingRunsTheRemainingCells() {
        let result = quietRunner(keepGoing: true).run(source: Self.failing, file: "fail.taalm")
        #expect(result.exitCode == 70)
        #expect(result.report.cells.count == 3)
        #expect(result.report.cells[2].codeOutputs == [.stdout("after the error\n")])
    }

    @Test func aCompileErrorExitsWith65AtItsFileLine() throws {
        let source = "# %%\nprint(1)\n\n# %%\nlet x = (1 +\n"
        let result = quietRunner().run(source: source, file: "c.taalm")
        #expect(result.exitCode == 65)
        let first = try #require(result.errors.first)
        #expect(first.hasPrefix("c.taalm:5:"), "\(first)")
    }

    @Test func progressLeavesOnlyASummaryLineInTheReport() throws {
        var live = ""
        var now = 0.0
        let runner = NotebookRunner()
        runner.progressOutput = { summary in
            ProgressOutput(stream: { live += $0 }, isTerminal: true, width: { 80 }, summary: summary,
                           clock: { now += 0.05; return now })
        }
        let source = "let r = with_progress(30, fn(i) { i * 2 }, label: \"train\")\nprint(len(r))"
        let result = runner.run(source: source, file: "p.taalm")
        #expect(live.contains("\r") && live.contains("\u{1B}[K"), "a terminal gets a redrawn bar")
        let outputs = try #require(result.report.cells.first?.codeOutputs)
        guard case .stdout(let text) = outputs.first else { Issue.record("expected printed text: \(outputs)"); return }
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("train: 30/30 (100%) in 0:0"), "\(lines[0])")
        #expect(lines[0].hasSuffix("value 58"), "\(lines[0])")
        #expect(lines[1] == "30")
        let html = result.report.html()
        #expect(!html.contains("\u{1B}") && !html.contains("\r"), "no escape codes or redraws in the report")
    }

    @Test func theReportIsWellFormed() throws {
        let source = Self.notebook + """


            # %% Everything
            show(bar(["a", "b"], [1, 2]), heatmap([[1, 2], [3, 4]]))
            show(weights_view("a <b> & c", [0.1, 0.5, 0.9, 0.2]))
            table({name: ["<x>", "y & z"], v: [1, 2]})
            """
        let result = quietRunner().run(source: source, file: "w.taalm")
        #expect(result.exitCode == 0, "\(result.errors)")
        let html = result.report.html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        let main = try #require(reportMain(html))
        let probe = XMLProbe(main)
        #expect(probe.error == nil, "the report body parses as XML: \(probe.error ?? "")")
        #expect(probe.all("section").count == 6)
        let svgs = svgDocuments(html)
        #expect(svgs.count == 3)
        for svg in svgs { #expect(XMLProbe(svg).error == nil) }
        #expect(probe.all("span").contains { $0.attributes["data-value"] == "0.5" }, "token spans carry their values")
    }

    @Test func markdownReportsKeepFiguresBeside() {
        let md = quietRunner().run(source: Self.notebook, file: "nb.taalm").report.markdown(assetFolder: "nb_files")
        #expect(md.files.map(\.name) == ["nb_files/figure-1.svg"])
        #expect(md.markdown.contains("![figure 1](nb_files/figure-1.svg)"))
        #expect(md.markdown.contains("```taalm\nlet xs = range(1, 6)"))
    }
}
