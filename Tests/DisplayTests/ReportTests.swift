import Testing
@testable import Display

@Suite struct ReportTests {
    static func sample() -> Report {
        let curves = LineChart(title: "TO-LEARN accuracy per epoch", xLabel: "epoch", yLabel: "accuracy",
                               series: [Series("TAALM", y: [0.12, 0.31, 0.48, 0.57, 0.61], start: 1),
                                        Series("RHO-1", y: [0.1, 0.24, 0.35, 0.41, 0.44], start: 1),
                                        Series("finetune", y: [0.1, 0.2, 0.28, 0.31, 0.33], start: 1)])
        let bars = BarChart(title: "After 5 epochs", yLabel: "accuracy", categories: ["TO-LEARN", "NOT-TO-FORGET"],
                            series: [.init("TAALM", values: [0.61, 0.83]), .init("RHO-1", values: [0.44, 0.8]),
                                     .init("finetune", values: [0.33, 0.71])])
        let table = Table(title: "LAMA-ckl results", columns: ["method", TableColumn("Top Acc", decimals: 3, best: .max),
                                                               TableColumn("Epoch", best: .min), TableColumn("NF Acc", decimals: 3, best: .max)],
                          rows: [["finetune", 0.331, 5, 0.712], ["RHO-1", 0.442, 5, 0.801], ["TAALM", 0.612, 4, 0.83]])
        let tokens = ["Ada", "Lovelace", "was", "born", "in", "London", "in", "1815", "and", "worked", "with", "Charles", "Babbage", "."]
        let weights: [Double] = [0.55, 0.71, 0.05, 0.22, 0.03, 0.93, 0.02, 0.88, 0.01, 0.15, 0.04, 0.47, 0.79, 0.0]
        let grads: [Double] = [0.012, 0.03, -0.004, 0.008, -0.001, 0.041, -0.002, 0.036, 0, -0.006, 0.001, 0.011, 0.025, -0.003]
        let heat = TokenWeights(tokens: tokens, values: weights, label: "Train-Attention weights")
        let comparison = TokenComparison(title: "Weights, meta-gradient and oracle", tokens: tokens,
                                         weightings: [("TA weight", weights, nil), ("meta-grad", grads, nil),
                                                      ("oracle", tokens.map { ["London", "1815", "Lovelace"].contains($0) ? 1 : 0 }, nil)])
        let matrix = Heatmap(title: "Accuracy by unit and epoch", values: [[0.1, 0.3, 0.5], [0.2, 0.4, 0.7], [0.0, .nan, 0.9]],
                             rowLabels: ["unit 1", "unit 2", "unit 3"], columnLabels: ["ep 1", "ep 2", "ep 3"])
        return Report(title: "Train-Attention tour <sample>", subtitle: "examples/04_train_attention.taalm", cells: [
            .markdown("# Why tokens get their weight\n\nTrain-Attention learns **which tokens** to learn from. See [the paper](https://arxiv.org/abs/2410.16783) and `meta_train`.\n\n- weights in *[0, 1]*\n- meta-gradients are signed\n\n1. pretrain\n2. meta-train", line: 1),
            .code("# learning curves\nlet r = ckl_run(methods: [\"TAALM\", \"RHO-1\", \"finetune\"], epochs: 5)\nprint(\"best: {r.best.name} at {r.best.acc * 100}%\")\nplot(r)", outputs: [
                .stdout("\r\u{1B}[2Kepoch 1/5\r\u{1B}[2Kepoch 5/5 done\nbest: TAALM at 61.2%\n"),
                .svg(curves.svg(), caption: "TO-LEARN accuracy per epoch"),
                .svg(bars.svg(), caption: nil),
                .table(table),
            ], title: "Curves", line: 12),
            .code("show(weights(doc))", outputs: [.html(heat.html()), .html(comparison.html()), .svg(matrix.svg())], title: "Token weights", line: 20),
            .code("let x = 1 / \"two\"", outputs: [.error("\u{1B}[31merror:\u{1B}[0m line 25: cannot divide a number by a string")], line: 25),
        ])
    }

    @Test func htmlIsWellFormedAndSelfContained() {
        let html = ReportTests.sample().html()
        #expect(htmlError(html) == nil)
        for svg in svgBlocks(html) { #expect(xmlError(svg) == nil) }
        #expect(svgBlocks(html).count == 3)
        #expect(!html.contains("\u{1B}"))
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("src=\""))
        #expect(html.contains("Train-Attention tour &lt;sample&gt;"))
        #expect(html.contains("epoch 5/5 done\nbest: TAALM at 61.2%"))
        #expect(!html.contains("epoch 1/5"))
        #expect(html.contains("<span class=\"out\"") == false)
    }

    @Test func eachOutputLandsInItsCell() {
        let html = ReportTests.sample().html()
        let sections = html.split(separator: "<section").dropFirst().map(String.init)
        #expect(sections.count == 4)
        #expect(sections[0].contains("<h1>Why tokens get their weight</h1>"))
        #expect(sections[1].contains("<svg") && sections[1].contains("taalm-table") && sections[1].contains("line 12"))
        #expect(sections[2].contains("taalm-tokens") && sections[2].contains("taalm-token-comparison"))
        #expect(sections[3].contains("class=\"out error\"") && sections[3].contains("error: line 25"))
    }

    @Test func markdownExportWritesFiguresBeside() {
        let export = ReportTests.sample().markdown(assetFolder: "tour_files")
        #expect(export.files.map(\.name) == ["tour_files/figure-1.svg", "tour_files/figure-2.svg", "tour_files/figure-3.svg"])
        for f in export.files { #expect(xmlError(f.contents) == nil) }
        #expect(export.markdown.contains("![TO-LEARN accuracy per epoch](tour_files/figure-1.svg)"))
        #expect(export.markdown.contains("```taalm\n# learning curves\n"))
        #expect(export.markdown.contains("| TAALM | **0.612** | **4** | **0.830** |"))
        #expect(!export.markdown.contains("\u{1B}") && !export.markdown.contains("\r"))
        #expect(Report.fenced("a ``` b", info: "text").hasPrefix("````text\n"))
    }

    @Test func highlighter() {
        let h = Highlighter.html("let s = \"n = {len(xs) + 1}\" # done\nfn f(x) { return 1.5e-3 }")
        #expect(h == "<span class=\"k\">let</span> s = <span class=\"s\">&quot;n = </span><span class=\"i\">{<span class=\"f\">len</span>(xs) + <span class=\"n\">1</span>}</span><span class=\"s\">&quot;</span> <span class=\"c\"># done</span>\n<span class=\"k\">fn</span> <span class=\"f\">f</span>(x) { <span class=\"k\">return</span> <span class=\"n\">1.5e-3</span> }")
        #expect(Highlighter.html("'unterminated {x\nnext") == "<span class=\"s\">&#39;unterminated </span><span class=\"i\">{x</span>\nnext")
    }

    @Test func markdownSubset() {
        let html = Markdown.html("""
        ## Title *here*

        Some **bold**, _em_, snake_case_name, `a < b` and [link](javascript:alert(1)).
        <script>x</script>

        ```taalm
        let x = 1 # hi
        ```

        - one
        - two
        > quoted

        ---
        """)
        #expect(html.contains("<h2>Title <em>here</em></h2>"))
        #expect(html.contains("Some <strong>bold</strong>, <em>em</em>, snake_case_name, <code>a &lt; b</code> and <a href=\"#\">link</a>."))
        #expect(html.contains("&lt;script&gt;x&lt;/script&gt;"))
        #expect(html.contains("<pre><code class=\"language-taalm\"><span class=\"k\">let</span> x = <span class=\"n\">1</span> <span class=\"c\"># hi</span></code></pre>"))
        #expect(html.contains("<ul>\n<li>one</li>\n<li>two</li>\n</ul>"))
        #expect(html.contains("<blockquote>\n<p>quoted</p>\n</blockquote>") && html.contains("<hr>"))
        #expect(htmlError("<div>" + html + "</div>") == nil)
    }
}
