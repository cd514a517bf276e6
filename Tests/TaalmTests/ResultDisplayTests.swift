import CKL
import Foundation
import Testing
import Display
import Language
@testable import Runtime

/// plot(results) and the report forms of result values (CKL results, compare tables,
/// meta-training results, models) and of Train-Attention's token displays.
@Suite struct ResultDisplayTests {
    static func result(_ method: String, _ toLearn: [Double], _ notToForget: [Double]) -> CKLResult {
        CKLResult(method: method, curve: zip(toLearn, notToForget).enumerated().map { i, p in
            CKLEpochRecord(epoch: i, toLearn: p.0, notToForget: p.1, trainLoss: i == 0 ? nil : 1.0 / Double(i))
        }, seconds: 1.5)
    }

    static let finetune = result("Finetune", [0, 0.25, 0.5], [0.9, 0.7, 0.6])
    static let oracle = result("Oracle", [0, 0.5, 0.75], [0.9, 0.85, 0.8])

    /// Runs source with `finetune` and `oracle` bound to ckl_result values.
    func run(_ source: String, frontend: Frontend = Frontend(progress: .silent)) -> (output: String, error: TaalmError?) {
        let interp = Runtime.makeInterpreter(frontend: frontend)
        interp.define("finetune", .object(CKLResultValue(Self.finetune, model: nil)))
        interp.define("oracle", .object(CKLResultValue(Self.oracle, model: nil)))
        var out = ""
        interp.write = { out += $0 }
        do throws(TaalmError) {
            try interp.run(source: source, file: "test.taalm")
            return (out, nil)
        } catch { return (out, error) }
    }

    /// The polylines of each panel, by panel title: [title: [series: data-points]].
    func panels(_ svg: String) -> [(String, [String: String])] {
        var out: [(String, [String: String])] = []
        var rest = svg[...]
        while let start = rest.range(of: "<svg x="), let end = rest[start.lowerBound...].range(of: "</svg>") {
            let panel = String(rest[start.lowerBound..<end.upperBound])
            let probe = XMLProbe(panel)
            let title = panel.firstMatch(of: /<title>([^<]*)<\/title>/).map { String($0.1) } ?? ""
            var series: [String: String] = [:]
            for l in probe.all("polyline") { series[l.attributes["data-series"] ?? ""] = l.attributes["data-points"] }
            out.append((title, series))
            rest = rest[end.upperBound...]
        }
        return out
    }

    @Test func plotResultsDrawsToLearnAndNotToForgetPerMethod() throws {
        let r = run("print(plot([finetune, oracle], title: \"LAMA-ckl\").svg())")
        #expect(r.error == nil)
        let probe = XMLProbe(r.output)
        #expect(probe.error == nil, "the panels figure is well-formed: \(probe.error ?? "")")
        let p = panels(r.output)
        #expect(p.map(\.0) == ["TO-LEARN (acquired)", "NOT-TO-FORGET (retained)"])
        #expect(p[0].1 == ["Finetune": "0,0 1,0.25 2,0.5", "Oracle": "0,0 1,0.5 2,0.75"])
        #expect(p[1].1 == ["Finetune": "0,0.9 1,0.7 2,0.6", "Oracle": "0,0.9 1,0.85 2,0.8"])
        #expect(r.output.contains(">LAMA-ckl</text>"))
    }

    @Test func plotOfOneResultAndOfACompareTable() throws {
        let one = run("print(plot(finetune).svg())")
        #expect(panels(one.output).map { $0.1.keys.sorted() } == [["Finetune"], ["Finetune"]])
        let table = run("let t = compare([finetune, oracle])\nprint(plot(t).kind)\nprint(plot(t).svg())")
        #expect(table.error == nil)
        #expect(table.output.hasPrefix("panels\n"))
        #expect(panels(table.output).first?.1["Oracle"] == "0,0 1,0.5 2,0.75")
        // A duplicate method is numbered, not merged.
        #expect(panels(run("print(plot([finetune, finetune]).svg())").output).first?.1.keys.sorted() == ["Finetune", "Finetune (2)"])
    }

    @Test func plotResultsInTheTerminalShowsBothPanels() {
        let r = run("print(plot([finetune, oracle]).text(width: 50))")
        #expect(r.error == nil)
        #expect(r.output.contains("TO-LEARN (acquired)") && r.output.contains("NOT-TO-FORGET (retained)"))
        #expect(!r.output.contains("\u{1B}["))
    }

    @Test func resultsShowACardAndTheirCurvesInReports() throws {
        var outputs: [ReportOutput] = []
        let frontend = Frontend(richOutput: { outputs.append($0) }, progress: .silent)
        let r = run("show(finetune)\nshow(compare([finetune, oracle]))", frontend: frontend)
        #expect(r.error == nil && r.output.isEmpty)
        #expect(outputs.count == 3)
        guard case .html(let card) = outputs[0], case .svg(let svg, _) = outputs[1], case .table(let table) = outputs[2] else {
            Issue.record("expected a card, a chart and a table: \(outputs)"); return
        }
        #expect(XMLProbe(card).error == nil)
        #expect(card.contains("Finetune") && card.contains("Top Acc") && card.contains("0.500"))
        #expect(panels(svg).count == 2)
        #expect(table.rows.count == 2)
        #expect(table.html().contains("<strong class=\"best\">0.750</strong>"), "the best Top Acc is highlighted")
    }

    @Test func metaResultsPlotTheirLossAndObjectShare() throws {
        let setup = """
            let docs = ["ann plays for reds . it rained", "bob plays for owls . we sang"]
            let examples = [{document: docs[0], task: "ann plays for reds .", object: "reds"},
                            {document: docs[1], task: "bob plays for owls .", object: "owls"}]
            let m = lm(word_tokenizer(docs), dim: 16, layers: 1, heads: 2, context: 16, seed: 1)
            let ta = train_attention(m, dim: 16, layers: 1, heads: 2, seed: 2)
            let r = meta_train(ta, m, examples, held_out: examples, steps: 4, units_per_step: 2, eval_every: 2, progress: false)

            """
        let out = runTaalm(setup + "print(len(r.meta_losses))\nprint(plot(r).svg())")
        #expect(out.error == nil)
        let p = panels(out.output)
        #expect(p.count == 2)
        #expect(p[0].1["train batches"]?.split(separator: " ").count == 4, "one point per meta step")
        #expect(p[1].1["object share"]?.split(separator: " ").map { $0.split(separator: ",")[0] } == ["0", "2", "4"])

        let nb = quietRunner().run(source: setup.replacingOccurrences(of: "\n\n", with: "\n") + "# %%\nr\n# %%\nta.weights(docs[0])\n# %%\nlet g = meta_grad(ta, m, examples[0])\n",
                                   file: "meta.taalm")
        #expect(nb.exitCode == 0, "\(nb.errors)")
        let cells = nb.report.cells
        let metaOut = try #require(cells[1].codeOutputs)
        guard case .html(let card) = metaOut.first, metaOut.count == 2, case .svg = metaOut[1] else {
            Issue.record("a meta_result shows a card and its curves: \(metaOut)"); return
        }
        #expect(card.contains("object share"))
        // ta.weights and meta_grad show token heatmaps (HTML spans), not terminal text.
        let weights = try #require(cells[2].codeOutputs)
        #expect(weights.contains { if case .html(let h) = $0 { h.contains("reds") } else { false } })
        #expect(!weights.contains { if case .stdout = $0 { true } else { false } })
        let grad = try #require(cells[3].codeOutputs)
        #expect(grad.count == 1)
        if case .html(let h) = grad[0] { #expect(h.contains("meta-grad")) } else { Issue.record("meta_grad: \(grad)") }
    }

    @Test func modelsAndBenchmarksShowSummaryCards() {
        var outputs: [ReportOutput] = []
        let frontend = Frontend(richOutput: { outputs.append($0) }, progress: .silent)
        let r = runTaalm("""
            let m = lm(word_tokenizer(["a b c"]), dim: 8, layers: 1, heads: 1, context: 8)
            show(m)
            let b = lama_ckl(preset: "tiny", seed: 1)
            show(b, b.to_learn[0])
            """, frontend: frontend)
        #expect(r.error == nil)
        let cards = outputs.compactMap { if case .html(let h) = $0 { h } else { nil } }
        #expect(cards.count == 3)
        #expect(cards.allSatisfy { $0.hasPrefix("<div class=\"taalm-card\">") && XMLProbe($0).error == nil })
        #expect(cards[0].contains("language model") && cards[1].contains("TO-LEARN") && cards[2].contains("CKL unit"))
    }
}
