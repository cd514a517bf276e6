import Foundation
import Testing
@testable import Display

/// Writes the sample report and the terminal renderings to /tmp for a look in a browser
/// or terminal (`chromium --headless --screenshot ... file:///tmp/display-sample.html`).
@Suite struct SampleOutputTests {
    @Test func writeSamples() throws {
        let report = ReportTests.sample()
        try report.html().write(toFile: "/tmp/display-sample.html", atomically: true, encoding: .utf8)
        var text = ""
        for color in [ColorMode.off, .truecolor] {
            text += LineChart(title: "loss", xLabel: "step", yLabel: "nll",
                              series: [Series("train", y: (0..<50).map { 3 * exp(-Double($0) / 12) + 0.3 }),
                                       Series("valid", y: (0..<50).map { 3 * exp(-Double($0) / 15) + 0.5 })])
                .terminal(width: 60, height: 10, color: color)
            text += ReportTests.sampleBars.terminal(width: 60, color: color)
            text += Heatmap(values: [[0.1, 0.5, 0.9], [-0.3, 0, 0.3]], rowLabels: ["a", "b"], columnLabels: ["x", "y", "z"]).terminal(color: color)
            text += TokenWeights(tokens: ["Ada", "Lovelace", "was", "born", "in", "London"], values: [0.55, 0.71, 0.05, 0.22, 0.03, 0.93] as [Double])
                .terminal(width: 60, color: color)
        }
        try text.write(toFile: "/tmp/display-terminal.txt", atomically: true, encoding: .utf8)
    }
}

extension ReportTests {
    static let sampleBars = BarChart(title: "After 5 epochs", categories: ["TO-LEARN", "NOT-TO-FORGET"],
                                     series: [.init("TAALM", values: [0.61, 0.83]), .init("finetune", values: [0.33, -0.1])])
}
