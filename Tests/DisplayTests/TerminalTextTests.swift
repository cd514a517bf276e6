import Testing
@testable import Display

@Suite struct TerminalTextTests {
    @Test func stripsANSI() {
        #expect(TerminalText.stripANSI("\u{1B}[1;31mred\u{1B}[0m plain") == "red plain")
        #expect(TerminalText.stripANSI("\u{1B}[38;2;1;2;3mx\u{1B}[K") == "x")
        #expect(TerminalText.stripANSI("\u{1B}]8;;http://a\u{07}link\u{1B}]8;;\u{1B}\\") == "link")
        #expect(TerminalText.stripANSI("a\u{1B}(Bb\u{1B}=c\u{9B}2Jd") == "abcd")
        #expect(TerminalText.stripANSI("trailing\u{1B}") == "trailing")
    }

    @Test func reportTextResolvesRedraws() {
        let progress = "\rstep 1/3\u{1B}[K\rstep 2/3\u{1B}[K\rstep 3/3 done\u{1B}[K\nnext\r\nline"
        #expect(TerminalText.forReport(progress) == "step 3/3 done\nnext\nline")
        #expect(TerminalText.forReport("long line\rab") == "abng line")
        #expect(TerminalText.forReport("bell\u{07} tab\t") == "bell tab\t")
    }

    @Test func widths() {
        #expect(TerminalText.width("abc") == 3)
        #expect(TerminalText.width("日本") == 4)
        #expect(TerminalText.width("e\u{301}") == 1)
        #expect(TerminalText.truncate("abcdef", to: 4) == "abc…")
    }

    @Test func markupEscapesAndDropsControls() {
        #expect(Markup.escape("<a href='x'>&\"\u{1B}[0m") == "&lt;a href=&#39;x&#39;&gt;&amp;&quot;[0m")
        #expect(Markup.safeURL("javascript:alert(1)") == "#")
        #expect(Markup.safeURL("https://example.org/a") == "https://example.org/a")
        #expect(Markup.safeURL("figs/a:b.svg") == "figs/a:b.svg")
        #expect(Markup.safeURL("#section") == "#section")
    }
}
