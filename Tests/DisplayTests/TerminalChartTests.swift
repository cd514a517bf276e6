import Testing
@testable import Display

@Suite struct TerminalChartTests {
    static let line = LineChart(title: "accuracy", xLabel: "epoch", yLabel: "acc",
                                series: [Series("TAALM", y: [0.1, 0.4, 0.6, 0.7], start: 1),
                                         Series("finetune", y: [0.1, 0.2, 0.25, 0.3], start: 1)])
    static let bars = BarChart(title: "final", categories: ["learn", "keep"],
                               series: [.init("TAALM", values: [0.6, 0.8]), .init("ft", values: [0.3, -0.2])])
    static let heat = Heatmap(values: [[0, 0.3, 0.6], [0.9, 1, .nan]], rowLabels: ["u1", "u2"], columnLabels: ["e1", "e2", "e3"],
                              showValues: false)

    @Test func lineChartGolden() {
        let out = TerminalChartTests.line.terminal(width: 40, height: 6)
        #expect(out == TerminalChartTests.lineGolden)
    }

    @Test func barChartGolden() {
        let out = TerminalChartTests.bars.terminal(width: 40)
        #expect(out == TerminalChartTests.barGolden)
    }

    @Test func heatmapGolden() {
        let out = TerminalChartTests.heat.terminal()
        #expect(out == TerminalChartTests.heatGolden)
    }

    @Test func colourOnlyWhenAsked() {
        for out in [TerminalChartTests.line.terminal(), TerminalChartTests.bars.terminal(), TerminalChartTests.heat.terminal()] {
            #expect(!out.contains("\u{1B}"))
        }
        for out in [TerminalChartTests.line.terminal(color: .ansi256), TerminalChartTests.bars.terminal(color: .ansi256),
                    TerminalChartTests.heat.terminal(color: .ansi256)] {
            #expect(out.contains("\u{1B}[38;5;") || out.contains("\u{1B}[48;5;"))
            #expect(!out.contains("\u{1B}[38;2;"))
        }
    }

    @Test func linesStayWithinWidth() {
        for w in [20, 40, 100] {
            for out in [TerminalChartTests.line.terminal(width: w), TerminalChartTests.bars.terminal(width: w)] {
                for l in out.split(separator: "\n") { #expect(TerminalText.width(String(l)) <= w) }
            }
        }
    }

    static let lineGolden = """
                        accuracy
        acc
        0.8 ┤⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⣀●
        0.6 ┤⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⢀⣀⡠⠤⠤⠒⠒⠒⠒⠉⠉⠉⠉⠀⠀
            │⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⢀⣀⡠⠤⠔⠒⠊⠉⠁⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀
        0.4 ┤⠀⠀⠀⠀⠀⠀⢀⣀⠤⠔⠒⠉⠁⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⣀⣀⣀⣀⣀⣀⠤⠤■
        0.2 ┤⠀⣀⣠⣤⣒⣊⠥⠤⠤⠤⠒⠒⠒⠒⠒⠒⠒⠊⠉⠉⠉⠉⠉⠉⠉⠉⠀⠀⠀⠀⠀⠀⠀⠀⠀
        0.0 ┤⠉⠉⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀⠀
            └┬──────────┬───────────┬──────────┬
             1          2           3          4
                            epoch
             ● TAALM  ■ finetune

        """
    static let barGolden = """
                         final
        learn TAALM     │█████████████▌ 0.6
              ft        │██████▊ 0.3
        keep  TAALM     │██████████████████ 0.8
              ft    ████│ -0.2

        """
    static let heatGolden = """
           e1 e2 e3
        u1 ·· ░░ ▓▓
        u2 ██ ██
           0 ·░▒▓█ 1

        """
}
