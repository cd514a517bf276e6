import Testing
@testable import Display

@Suite struct ProgressTests {
    let p = Progress(label: "meta-train", done: 450, total: 1000, elapsed: 36, fields: [("loss", "0.4312")])

    @Test func terminalLineRedrawsInPlace() {
        let line = p.render(tty: true, width: 80)
        #expect(line.hasPrefix("\r") && line.hasSuffix("\u{1B}[K"))
        let visible = TerminalText.stripANSI(line).dropFirst()
        #expect(visible.hasPrefix("meta-train  45% ▕"))
        #expect(visible.hasSuffix("▏ 450/1000 12.5 it/s ETA 0:44 loss 0.4312"))
        #expect(TerminalText.width(String(visible)) <= 80)
        #expect(p.render(tty: true, final: true).hasSuffix("\n"))
    }

    @Test func nonTerminalSummaryHasNoEscapes() {
        let line = p.render(tty: false)
        #expect(line == "meta-train: 450/1000 (45%) in 0:36, 12.5 it/s, ETA 0:44, loss 0.4312\n")
        #expect(!line.contains("\u{1B}") && !line.contains("\r"))
        let evil = Progress(label: "x\u{1B}[31m", done: 1, total: 2, elapsed: 1, fields: [("a", "b\rc")])
        #expect(!evil.render(tty: false).contains("\u{1B}"))
    }

    @Test func narrowTerminalDropsFieldsThenBar() {
        let line = TerminalText.stripANSI(p.render(tty: true, width: 40)).dropFirst()
        #expect(TerminalText.width(String(line)) <= 40)
        #expect(!line.contains("loss"))
    }

    @Test func edgeCases() {
        let unknown = Progress(done: 5, total: 0, elapsed: 0)
        #expect(unknown.render(tty: false) == "5 it in 0:00, – it/s\n")
        // An open-ended count names its unit in the plural ("18 epochs"), except "it" and a count of 1.
        #expect(Progress(label: "pretrain", done: 18, total: 0, elapsed: 180, unit: "epoch").render(tty: false)
                == "pretrain: 18 epochs in 3:00, 10 s/epoch\n")
        #expect(Progress(done: 1, total: 0, elapsed: 2, unit: "epoch").render(tty: false) == "1 epoch in 0:02, 2 s/epoch\n")
        let over = Progress(done: 12, total: 10, elapsed: 7200)
        #expect(over.render(tty: false) == "12/10 (100%) in 2:00:00, 600 s/it\n")
        let weird = Progress(done: -3, total: 10, elapsed: .nan)
        #expect(weird.render(tty: false).contains("ETA ?"))
        #expect(!weird.render(tty: true, width: 5).isEmpty)
        #expect(Progress.bar(0.5, width: 10) == "▕████    ▏")
        #expect(Progress.clock(3725) == "1:02:05")
    }

    @Test func throttle() {
        var t = ProgressThrottle(interval: 0.1, summaryInterval: 30)
        let draws = [(0.0, 1), (0.05, 2), (0.2, 3), (0.21, 100)].map { t.shouldDraw(now: $0.0, done: $0.1, total: 100, tty: true) }
        #expect(draws == [true, false, true, true])
    }
}
