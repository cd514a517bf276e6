import Testing
@testable import Display

@Suite struct TableTests {
    let table = Table(title: "LAMA-ckl", columns: ["method", TableColumn("TO-LEARN", decimals: 3, best: .max),
                                                   TableColumn("NLL", decimals: 2, best: .min), "note"],
                      rows: [["finetune", 0.512, 2.5, "plain, \"baseline\""],
                             ["TAALM", 0.734, 1.75, .empty],
                             ["RHO-1", .number(.nan), .integer(3), "multi\nline"]])

    @Test func csvQuoting() {
        let csv = table.csv(lineEnding: "\n")
        #expect(csv == """
        method,TO-LEARN,NLL,note
        finetune,0.512,2.5,"plain, ""baseline\"\"\"
        TAALM,0.734,1.75,
        RHO-1,nan,3,"multi
        line"

        """)
        #expect(Table(columns: [" padded "], rows: [["a"]]).csv().hasPrefix("\" padded \"\r\n"))
    }

    @Test func jsonEscapingAndNulls() {
        let json = table.json()
        #expect(json.contains("{\"method\": \"finetune\", \"TO-LEARN\": 0.512, \"NLL\": 2.5, \"note\": \"plain, \\\"baseline\\\"\"}"))
        #expect(json.contains("\"TO-LEARN\": null") && json.contains("\"note\": \"multi\\nline\""))
        #expect(Table(columns: ["a"], rows: []).json() == "[]\n")
        #expect(Table(columns: ["a", "a"], rows: [[1, "\u{1}"]]).json(.columns) == "{\"columns\": [\"a\", \"a\"], \"rows\": [\n  [1, \"\\u0001\"]\n]}\n")
    }

    @Test func terminalGolden() {
        #expect(table.terminal() == """
        LAMA-ckl
        method    TO-LEARN    NLL   note
        ────────  ────────  ─────  ─────────────────
        finetune    0.512   2.50   plain, "baseline"
        TAALM       0.734*  1.75*
        RHO-1         nan      3   multi↵line
        * best in column

        """)
    }

    @Test func colourHighlightsBestInBold() {
        let t = table.terminal(color: .truecolor)
        #expect(t.contains("\u{1B}[1m"))
        #expect(!t.contains("*"))
    }

    @Test func emptyTablesRender() {
        #expect(Table(columns: [], rows: []).terminal() == "(empty table)\n")
        #expect(Table(columns: ["a", "b"], rows: []).terminal().contains("(no rows)"))
        #expect(htmlError(Table(columns: [], rows: []).html()) == nil)
        #expect(htmlError(Table(columns: ["a"], rows: [[]]).html()) == nil)
    }

    @Test func htmlAndMarkdown() {
        let html = table.html()
        #expect(htmlError(html) == nil)
        #expect(html.contains("<strong class=\"best\">0.734</strong>"))
        #expect(html.contains("plain, &quot;baseline&quot;"))
        let md = table.markdown()
        #expect(md.contains("| method | TO-LEARN | NLL | note |\n|:---|---:|---:|:---|\n"))
        #expect(md.contains("| TAALM | **0.734** | **1.75** |  |"))
    }

    @Test func truncation() {
        let t = Table(columns: ["i"], rows: (0..<10).map { [.integer($0)] }).truncated(maxRows: 3)
        #expect(t.rows.count == 3 && t.note == "… 7 more rows")
    }
}
