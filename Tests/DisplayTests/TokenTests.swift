import Testing
@testable import Display

@Suite struct TokenTests {
    let doc = TokenWeights(tokens: ["The", "capital", "of", "France", "is", "Paris", "."],
                           values: [0.05, 0.3, 0.02, 0.82, 0.1, 0.97, 0] as [Double])

    @Test func superscriptFallbackWrapsAtWords() {
        #expect(doc.terminal(width: 40) == """
        The⁽⁰·⁰⁵⁾ capital⁽⁰·³⁰⁾ of⁽⁰·⁰²⁾
        France⁽⁰·⁸²⁾ is⁽⁰·¹⁰⁾ Paris⁽⁰·⁹⁷⁾
        .⁽⁰·⁰⁰⁾
        scale: 0 … 1

        """)
    }

    @Test func bracketsOnRequest() {
        #expect(doc.terminal(width: 80, annotation: .brackets, decimals: 1).hasPrefix("The[0.1] capital[0.3] of[0.0] France[0.8]"))
    }

    @Test func subwordPiecesStayWithTheirWord() {
        let bpe = TokenWeights(tokens: ["Tr", "ain", "-", "Att", "ention", " learns", " weights", "\n", "New", " line"],
                               values: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1], joiner: "")
        let out = bpe.terminal(width: 24, annotation: .brackets, decimals: 1)
        #expect(out == """
        Tr[0.1]ain[0.2]-[0.3]
        Att[0.4]ention[0.5]
        learns[0.6]
        weights[0.7]↵[0.8]
        New[0.9] line[1.0]
        scale: 0 … 1

        """)
    }

    @Test func colourUsesBackgroundsAndNoNumbersByDefault() {
        let out = doc.terminal(width: 80, color: .truecolor)
        #expect(out.contains("\u{1B}[48;2;"))
        #expect(!out.contains("⁽"))
        #expect(TerminalText.stripANSI(out).hasPrefix("The capital of France is Paris ."))
    }

    @Test func htmlSpansCarryExactValuesAndColours() {
        let f = TokenWeights(tokens: ["a<b", "c"], values: [0.82 as Float, 0.1])
        let html = f.html()
        #expect(htmlError(html) == nil)
        #expect(html.contains("title=\"a&lt;b · #0 · 0.82\""))
        #expect(html.contains("data-value=\"0.82\""))
        // darker background for the larger weight
        let map = f.mapping
        #expect(html.contains("background:\(map.color(0.82).hex)"))
        #expect(map.color(0.82).luminance < map.color(0.1).luminance)
    }

    @Test func signedValuesDiverge() {
        let g = TokenWeights(tokens: ["x", "y", "z"], values: [-0.02, 0, 0.04] as [Double], label: "meta-gradient")
        #expect(g.mapping.scale == .diverging)
        #expect(g.terminal(width: 80).contains("x⁽⁻⁰·⁰²⁾ y⁽⁰·⁰⁰⁾ z⁽⁰·⁰⁴⁾"))
        #expect(htmlError(g.html()) == nil)
    }

    @Test func degenerateDocuments() {
        let empty = TokenWeights(tokens: [], values: [Double]())
        #expect(empty.terminal() == "\nscale: 0 … 1\n")
        let short = TokenWeights(tokens: ["a", "b"], values: [0.5] as [Double])
        #expect(short.terminal().hasPrefix("a⁽⁰·⁵⁰⁾ b⁽ⁿᵃⁿ⁾"))
        let long = TokenWeights(tokens: [String(repeating: "x", count: 30)], values: [1] as [Double])
        #expect(long.terminal(width: 10, annotation: TokenAnnotation.none).split(separator: "\n").allSatisfy { $0.count <= 12 })
        #expect(htmlError(TokenComparison(tokens: [], weightings: []).html()) == nil)
    }

    @Test func comparisonGridAligns() {
        let c = TokenComparison(title: "Why Paris?", tokens: ["The", "capital", "is", " Paris"],
                                weightings: [("TA weight", [0.1, 0.4, 0.05, 0.9], nil),
                                             ("meta-grad", [0.01, -0.2, 0, 0.35], nil),
                                             ("oracle", [0, 1, 0, 1], nil)])
        #expect(c.terminal(width: 80) == """
        Why Paris?
                    The  capital    is  Paris
        TA weight  0.10     0.40  0.05   0.90
        meta-grad  0.01    -0.20  0.00   0.35
        oracle     0.00     1.00  0.00   1.00

        """)
        let narrow = c.terminal(width: 26)
        #expect(narrow.split(separator: "\n", omittingEmptySubsequences: false).allSatisfy { TerminalText.width(String($0)) <= 26 })
        #expect(htmlError(c.html()) == nil && htmlError(c.html(layout: .stacked)) == nil)
        #expect(c.rows[1].mapping.scale == .diverging)
    }
}
