import Foundation
import Glibc
import Testing

/// The interactive REPL, driven through a pseudo-terminal like a user at a keyboard.
///
/// The expectations use only what the REPL itself prints (prompts, command texts) and the
/// numeric value of an echo, never an interpreter's error wording, so they hold for any
/// conforming `Language.Interpreter`. Each result number never appears in the typed
/// text, so finding it proves the cell ran.
@Suite(.enabled(if: REPLHarness.binary != nil, REPLHarness.missingMessage), .timeLimit(.minutes(1)))
struct REPLTests {
    @Test func multiLineFunctionThenCall() throws {
        let repl = try REPLHarness.start()
        repl.send("fn add3(a) {\r")
        try repl.expect("...> ")
        repl.send("  a + 3\r")
        try repl.expect("...> ")
        repl.send("}\r")
        try repl.expect("taalm> ")
        repl.send("add3(5000)\r")
        try repl.expect("5003")
    }

    @Test func bracketedPasteRunsAsOneCell() throws {
        let repl = try REPLHarness.start()
        repl.send("\u{1B}[200~let p1 = 100\nfn paste_f(q) {\n  q * 100\n}\npaste_f(p1) + 23\u{1B}[201~")
        repl.send("\r")
        let before = try repl.expect("10023")
        #expect(!before.contains("...>"), "a paste must not go through continuation prompts")
        #expect(!before.contains("taalm>"), "a paste must not run line by line")
        try repl.expect("taalm> ")
        #expect(try String(contentsOfFile: repl.historyPath, encoding: .utf8)
            == "let p1 = 100\\nfn paste_f(q) {\\n  q * 100\\n}\\npaste_f(p1) + 23\n")
    }

    @Test func tabCompletesGlobalNames() throws {
        let repl = try REPLHarness.start()
        repl.send("let walrus = 3\r")
        try repl.expect("taalm> ")
        repl.send("walr\t")
        try repl.expect("walrus")
        repl.send("* 1000\r")
        try repl.expect("3000")
    }

    @Test func tabCompletesCommands() throws {
        let repl = try REPLHarness.start()
        repl.send(":he\t")
        try repl.expect(":help")
        repl.send("\r")
        try repl.expect("REPL commands:")
    }

    @Test func tabCompletesRecordFields() throws {
        let repl = try REPLHarness.start()
        repl.send("let cfg = {learning_rate: 3, batch: 7}\r")
        try repl.expect("taalm> ")
        repl.send("cfg.lea\t")
        try repl.expect("cfg.learning_rate")
        repl.send(" * 1000\r")
        try repl.expect("3000")
        try repl.expect("taalm> ")
        repl.send("cfg.\t\t")          // two Tabs list every candidate: the fields and the record methods
        let listing = try repl.expect("taalm> cfg.")
        #expect(listing.contains("batch") && listing.contains("learning_rate") && listing.contains("keys"))
        repl.send("\u{03}")
        try repl.expect("taalm> ")
    }

    @Test func tabCompletesTensorMethods() throws {
        let repl = try REPLHarness.start()
        repl.send("let tt = zeros(2, 3)\r")
        try repl.expect("taalm> ")
        repl.send("tt.resh\t")
        try repl.expect("tt.reshape")
        repl.send("(6).size * 1001\r")
        try repl.expect("6006")
        try repl.expect("taalm> ")
        repl.send("tt.s\t\t")
        let listing = try repl.expect("taalm> tt.s")
        for method in ["shape", "size", "softmax", "sum"] { #expect(listing.contains(method), "missing \(method)") }
        #expect(!listing.contains("reshape"), "only names starting with 's'")
    }

    @Test func typeCommandNamesTheValueType() throws {
        let repl = try REPLHarness.start()
        repl.send(":type zeros(2)\r")
        try repl.expect(":type zeros(2)\n")
        try repl.expect("tensor [2] float32\ntaalm> ")
        repl.send(":type {a: 1}\r")
        try repl.expect(":type {a: 1}\n")
        try repl.expect("record with 1 field\ntaalm> ")
        repl.send("fn area(w, h = 1) { w * h }\r")
        try repl.expect("taalm> ")
        repl.send(":type area\r")
        try repl.expect("function area(w, h)\ntaalm> ")
        repl.send(":type 3\r")
        try repl.expect("number\ntaalm> ")
        repl.send("_\r")   // :type leaves _ alone: nothing was echoed yet
        try repl.expect("undefined variable '_'")
    }

    @Test func timeCommandShowsTheValueAndTheTime() throws {
        let repl = try REPLHarness.start()
        repl.send(":time 2000 + 17\r")
        try repl.expect("2017")
        try repl.expect("time: ")
        try repl.expect("taalm> ")
    }

    @Test func loadCommandRunsAFileAndKeepsItsDefinitions() throws {
        let repl = try REPLHarness.start()
        let path = repl.home + "/lib.taalm"
        try "let loaded_value = 4321\nprint(\"loading\", loaded_value - 4000)\nfn loaded_fn(x) { x * 3 }\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        repl.send(":load \(path)\r")
        try repl.expect("loading 321")
        try repl.expect("loaded \(path)")
        try repl.expect("taalm> ")
        repl.send("loaded_fn(1000) + loaded_value\r")
        try repl.expect("7321")
    }

    @Test func resetForgetsBindingsButKeepsBuiltins() throws {
        let repl = try REPLHarness.start()
        repl.send("let gone_soon = 5\r")
        try repl.expect("taalm> ")
        repl.send(":vars\r")
        try repl.expect(":vars\n")
        #expect(try repl.expect("taalm> ").contains("gone_soon"))
        repl.send(":reset\r")
        try repl.expect("all bindings cleared")
        try repl.expect("taalm> ")
        repl.send(":vars\r")
        try repl.expect(":vars\n")
        #expect(!(try repl.expect("taalm> ").contains("gone_soon")))
        repl.send("zeros(3).size * 1000 + 7\r")
        try repl.expect("3007")
        try repl.expect("taalm> ")
        repl.send("grad(fn(x) { x * x })(1500.0)\r")
        try repl.expect("3000")
        try repl.expect("taalm> ")
        repl.send("len([1, 2]) + 4000\r")
        try repl.expect("4002")
    }

    @Test func ctrlCStopsALoopAndKeepsBindings() throws {
        let repl = try REPLHarness.start()
        repl.send("let keep = 4000\r")
        try repl.expect("taalm> ")
        repl.send("while true {}\r")
        try repl.expect("while true {}\n")
        repl.settle(0.3)
        repl.send("\u{03}")
        try repl.expect("taalm> ", timeout: 5)
        repl.send("keep + 2\r")
        try repl.expect("4002")
    }

    @Test func ctrlCAtThePromptClearsTheLine() throws {
        let repl = try REPLHarness.start()
        repl.send("let lost = 1")
        try repl.expect("let lost = 1")
        repl.send("\u{03}")
        try repl.expect("^C\ntaalm> ")
        repl.send("1000 + 1\r")   // were the line kept, this would read `let lost = 11000 + 1`
        try repl.expect("1001")
        try repl.expect("taalm> ")
        repl.send(":vars\r")
        try repl.expect(":vars\n")
        let variables = try repl.expect("taalm> ")
        #expect(!variables.contains("lost"))
    }

    @Test func historySurvivesARestartWithMultiLineEntriesWhole() throws {
        let first = try REPLHarness.start()
        first.send("fn twice(a) {\r")
        try first.expect("...> ")
        first.send("  a * 2\r")
        try first.expect("...> ")
        first.send("}\r")
        try first.expect("taalm> ")
        first.send("twice(21)\r")
        try first.expect("42")
        try first.expect("taalm> ")
        first.send("\u{04}")
        #expect(try first.waitForExit() == 0)

        let second = try REPLHarness.start(historyPath: first.historyPath)
        second.send("\u{1B}[A\u{1B}[A")      // up twice: the whole function, not its "}"
        try second.expect("  a * 2\n}")
        second.send("\r")
        try second.expect("taalm> ")
        second.send("twice(2100)\r")
        try second.expect("4200")
    }

    @Test func ctrlDExitsWithZero() throws {
        let repl = try REPLHarness.start()
        repl.send("\u{04}")
        #expect(try repl.waitForExit() == 0)
    }

    @Test func quitCommandExitsWithZero() throws {
        let repl = try REPLHarness.start()
        repl.send(":q\r")
        #expect(try repl.waitForExit() == 0)
    }

    @Test func questionMarkShowsHelp() throws {
        let repl = try REPLHarness.start()
        repl.send("?print\r")
        try repl.expect("?print\n")
        let help = try repl.expect("taalm> ")
        #expect(help.contains("print"))
        #expect(!help.contains("no help for"))
        repl.send("?no_such_name_here\r")
        try repl.expect("no help for 'no_such_name_here'")
    }

    @Test func unknownCommandListsTheCommands() throws {
        let repl = try REPLHarness.start()
        repl.send(":frobnicate\r")
        try repl.expect("unknown command ':frobnicate'")
        try repl.expect(":help :vars :type :time :load :reset :quit")
    }

    @Test func junkInputNeverKillsTheREPL() throws {
        let repl = try REPLHarness.start()
        for junk in [")))", "}", "\"unterminated", "1 +* 2", ":", "?", ":type", ":load /no/such/file",
                     "\u{1B}[999~", "fn (((", "\u{1B}[200~\u{1B}[201~", "é∑ \u{7F}\u{7F}"] {
            repl.send(junk + "\r")
            repl.send("\u{03}")      // drop any unfinished cell
        }
        repl.send("6 * 7000\r")
        try repl.expect("42000")
    }
}

/// Finds the built `taalm` and starts it on a pty with a private HOME and history file.
enum REPLHarness {
    /// `TAALM_BIN`, else the `taalm` beside the test bundle (same build directory and
    /// configuration), else `.build/debug/taalm` under the package root.
    static let binary: String? = {
        let fm = FileManager.default
        if let explicit = ProcessInfo.processInfo.environment["TAALM_BIN"] {
            return fm.isExecutableFile(atPath: explicit) ? explicit : nil
        }
        var candidates: [String] = []
        if let me = try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("taalm").path)
        }
        candidates.append(PackagePaths.root.appendingPathComponent(".build/debug/taalm").path)
        return candidates.first { fm.isExecutableFile(atPath: $0) }
    }()

    static let missingMessage: Comment = "the taalm binary is not built: run `swift build` first (or set TAALM_BIN)"

    static func start(historyPath: String? = nil) throws -> Session {
        guard let binary else { throw PseudoTerminal.Failure(description: "\(missingMessage)") }
        let home = FileManager.default.temporaryDirectory
            .appendingPathComponent("taalm-repl-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let history = historyPath ?? home + "/history"
        let environment = [
            "TERM": "xterm", "HOME": home, "TAALM_HISTORY": history, "INPUTRC": "/dev/null",
            "NO_COLOR": "1", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin",
        ]
        let session = Session(pty: try PseudoTerminal(executable: binary, environment: environment),
                              historyPath: history, home: home)
        try session.expect("taalm> ", timeout: 10)
        return session
    }

    /// A running REPL plus the history file it uses.
    final class Session {
        let pty: PseudoTerminal
        let historyPath: String
        /// The session's temporary HOME, removed when the session is released.
        let home: String
        init(pty: PseudoTerminal, historyPath: String, home: String) {
            self.pty = pty
            self.historyPath = historyPath
            self.home = home
        }
        deinit { try? FileManager.default.removeItem(atPath: home) }
        func send(_ keys: String) { pty.send(keys) }
        @discardableResult func expect(_ s: String, timeout: Double = 10) throws -> String {
            try pty.expect(s, timeout: timeout)
        }
        func settle(_ seconds: Double) { pty.settle(seconds) }
        func waitForExit() throws -> Int32 { try pty.waitForExit() }
        var text: String { pty.text }
    }
}
