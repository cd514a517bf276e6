import Foundation
import Interrupts
import Testing
@testable import Language

/// The public façade the REPL and the Runtime bindings code against.
@Suite struct InterpreterAPITests {
    func capture(_ interp: Interpreter) -> () -> String {
        final class Box: @unchecked Sendable { var text = "" }
        let box = Box()
        interp.write = { box.text += $0 }
        return { box.text }
    }

    @Test func completeness() {
        let interp = Interpreter(config: .quiet)
        #expect(interp.completeness(of: "1 + 2") == .complete)
        #expect(interp.completeness(of: "") == .complete)
        #expect(interp.completeness(of: "fn f(x) {") == .incomplete)
        #expect(interp.completeness(of: "fn f(x) {\n  x * 2\n") == .incomplete)
        #expect(interp.completeness(of: "fn f(x) {\n  x * 2\n}") == .complete)
        #expect(interp.completeness(of: "let x = [1,\n2") == .incomplete)
        #expect(interp.completeness(of: "print(\"multi\nline") == .incomplete)
        #expect(interp.completeness(of: "1 +") == .incomplete)
        #expect(interp.completeness(of: "if x { 1 } else") == .incomplete)
        #expect(interp.completeness(of: "1 + )") == .invalid)
        #expect(interp.completeness(of: "let = 3") == .invalid)
    }

    @Test func runCellBindsUnderscoreAndHonoursSemicolon() throws {
        let interp = Interpreter(config: .quiet)
        let v = try interp.runCell("40 + 2", file: "<cell 1>")
        #expect(v?.numberValue == 42)
        #expect(try interp.runCell("_ * 2", file: "<cell 2>")?.numberValue == 84)
        #expect(try interp.runCell("1 + 1;", file: "<cell 3>") == nil)
        #expect(try interp.runCell("let y = 5", file: "<cell 4>") == nil)
        #expect(try interp.runCell("y", file: "<cell 5>")?.numberValue == 5)
        #expect(try interp.runCell("print(1)", file: "<cell 6>") == nil)
        #expect(interp.global("_")?.numberValue == 5)
    }

    @Test func bindingsSurviveErrors() throws {
        let interp = Interpreter(config: .quiet)
        _ = try interp.runCell("var total = 1", file: "<c>")
        #expect(throws: TaalmError.self) { try interp.runCell("total += 1; 1 / 0", file: "<c>") }
        #expect(try interp.runCell("total", file: "<c>")?.numberValue == 2)
        _ = try interp.runCell("fn f(n) { f(n + 1) }", file: "<c>")
        #expect(throws: TaalmError.self) { try interp.runCell("f(0)", file: "<c>") }
        #expect(try interp.runCell("total + 1", file: "<c>")?.numberValue == 3)
    }

    @Test func deepRecursionIsAnErrorNotACrash() {
        let interp = Interpreter(config: .quiet)
        do throws(TaalmError) {
            try interp.run(source: "fn f(n) { f(n + 1) }\nf(0)", file: "deep.taalm")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .runtime)
            #expect(error.exitCode == 70)
            #expect(error.message == "recursion limit (10000) exceeded")
            let text = interp.render(error)
            #expect(text.contains("deep.taalm:1:11: error: recursion limit (10000) exceeded"))
            #expect(text.contains("  in fn f at deep.taalm:1:11 (9999 times)"))
            #expect(text.contains("  in <top level> at deep.taalm:2:1"))
        }
    }

    @Test func renderShowsLineCaretAndHint() {
        let interp = Interpreter(config: .quiet)
        do throws(TaalmError) {
            try interp.run(source: "let x = 1\nprint(x + \"a\")", file: "s.taalm")
        } catch {
            #expect(interp.render(error) == """
                s.taalm:2:9: error: unsupported operand types for '+': number and string
                 2 | print(x + "a")
                   |         ^
                hint: convert with str(x), or interpolate: "text {x}"
                """)
        }
    }

    @Test func parseErrorsReportSeveral() {
        let interp = Interpreter(config: .quiet)
        do throws(TaalmError) {
            try interp.run(source: "let = 1\nprint(2 +* 3)\nlet ok = 1", file: "p.taalm")
        } catch {
            #expect(error.kind == .parse)
            #expect(error.exitCode == 65)
            #expect(error.diagnostics.count == 2)
        }
    }

    @Test func echoAndTypes() throws {
        let interp = Interpreter(config: .quiet)
        #expect(interp.echo(.number(42)) == "42  : number")
        #expect(interp.echo(.string("hi")) == "\"hi\"  : string")
        #expect(interp.echo(try interp.runCell("[1, {a: 2}]", file: "<c>") ?? .null) == "[1, {a: 2}]  : list")
        #expect(interp.typeName(of: .bool(true)) == "bool")
    }

    /// The echo names the type once even when the object's summary starts with it.
    @Test func echoSummaryWithoutRepeatedType() {
        #expect(Interpreter.summaryAfterType("lm 1×8, 1.1k params", "lm") == "1×8, 1.1k params")
        #expect(Interpreter.summaryAfterType("lama_ckl: 40 TO-LEARN", "lama_ckl") == "40 TO-LEARN")
        #expect(Interpreter.summaryAfterType("ckl_study, 3 methods", "ckl_study") == "3 methods")
        #expect(Interpreter.summaryAfterType("vec2", "vec2") == "")
        #expect(Interpreter.summaryAfterType("lmx 2", "lm") == "lmx 2")       // a longer word is kept
        #expect(Interpreter.summaryAfterType("[2] float32", "tensor") == "[2] float32")
    }

    @Test func introspection() throws {
        let interp = Interpreter(config: .quiet)
        _ = try interp.runCell("## Squares a number.\nfn square(x) { x * x }\nlet run = {name: \"r1\", cfg: {lr: 0.1}}\nvar n = 3", file: "<c>")
        #expect(interp.globalNames().contains("print"))
        #expect(interp.globalNames().contains("square"))
        #expect(Interpreter.keywords.contains("while"))
        #expect(interp.help("square") == "fn square(x)\nSquares a number.")
        #expect(interp.help("len")?.hasPrefix("len(x)\n") == true)
        #expect(interp.help("map")?.contains("Applies f") == true)
        #expect(interp.help("list.push")?.contains("Appends") == true)
        #expect(interp.help("for")?.contains("for x in") == true)
        #expect(interp.help("no_such_name") == nil)
        #expect(interp.helpIndex().contains("print"))
        #expect(interp.memberNames(forExpression: "run") .contains("name"))
        #expect(interp.memberNames(forExpression: "run.cfg") .contains("lr"))
        #expect(interp.memberNames(forExpression: "run.cfg").contains("keys"))
        #expect(interp.memberNames(forExpression: "n").contains("fmt"))
        #expect(interp.memberNames(forExpression: "print(1)").isEmpty)
        let vars = interp.variables().map(\.name)
        #expect(vars == ["n", "run", "square"])
        #expect(interp.variables().first { $0.name == "n" }?.summary == "3")
    }

    @Test func resetKeepsBuiltinsAndPrelude() throws {
        let interp = Interpreter(config: .quiet)
        _ = try interp.runCell("let mine = 1\nlet map = 5", file: "<c>")
        interp.reset()
        #expect(interp.global("mine") == nil)
        #expect(try interp.runCell("map([1], fn(x) { x + 1 })", file: "<c>").map { ValueText.repr($0) } == "[2]")
        #expect(interp.variables().map(\.name) == ["_"])
    }

    @Test func scriptArgumentsAreVisible() throws {
        let interp = Interpreter(config: .quiet)
        interp.scriptArguments = ["--lr", "3"]
        #expect(try interp.runCell("args", file: "<c>").map { ValueText.repr($0) } == "[\"--lr\", \"3\"]")
    }

    @Test func printGoesToTheSink() throws {
        let interp = Interpreter(config: .quiet)
        let output = capture(interp)
        try interp.run(source: "print(\"a\", 1, sep: \"-\")\nprint(\"b\", end: \"\")", file: "<s>")
        #expect(output() == "a-1\nb")
    }

    @Test func interruptStopsLoopsAndKeepsGlobals() throws {
        // Its own flag: other tests running in parallel take and clear the process-wide one.
        var config = InterpreterConfig()
        config.stepLimit = 2_000_000_000
        let flag = InterruptFlag()
        config.interruptFlag = flag
        let interp = Interpreter(config: config)
        _ = try interp.runCell("var keep = 7", file: "<c>")
        let t = Thread { Thread.sleep(forTimeInterval: 0.2); flag.request() }
        t.start()
        do throws(TaalmError) {
            _ = try interp.runCell("var i = 0\nwhile true { i += 1 }", file: "<c>")
            Issue.record("expected an interrupt")
        } catch {
            #expect(error.kind == .interrupted)
            #expect(error.message == "interrupted")
            #expect(error.exitCode == 70)
        }
        #expect(try interp.runCell("keep", file: "<c>")?.numberValue == 7)
    }

    @Test func interruptDuringANativeCallStopsBeforeTheNextStatement() throws {
        // A Ctrl-C pressed while a long native call runs (a matmul, a training run) is
        // noticed when it returns, not lost at the next prompt.
        var config = InterpreterConfig.quiet
        config.handlesInterrupts = true
        let flag = InterruptFlag()
        config.interruptFlag = flag
        let interp = Interpreter(config: config)
        interp.define(NativeFunction("long_native", doc: "Asks for an interrupt, as Ctrl-C would.", params: []) { _, _ throws(NativeError) in
            flag.request()
            return .number(1)
        })
        _ = try interp.runCell("var after = 0", file: "<c>")
        do throws(TaalmError) {
            _ = try interp.runCell("long_native()\nafter = 1", file: "<c>")
            Issue.record("expected an interrupt")
        } catch {
            #expect(error.kind == .interrupted)
            #expect(interp.render(error).contains("<c>:1:1"))
        }
        #expect(try interp.runCell("after", file: "<c>")?.numberValue == 0)
        #expect(!flag.isRequested)
        // An interpreter that does not handle interrupts leaves the flag alone.
        var quiet = InterpreterConfig.quiet
        quiet.interruptFlag = flag
        let other = Interpreter(config: quiet)
        flag.request()
        #expect(try other.runCell("1 + 1", file: "<c>")?.numberValue == 2)
        #expect(flag.isRequested)
    }

    @Test func stepLimitStopsRunaways() {
        var config = InterpreterConfig.quiet
        config.stepLimit = 1000
        let interp = Interpreter(config: config)
        #expect(throws: TaalmError.self) { try interp.run(source: "while true {}", file: "<s>") }
    }

    @Test func runFileAndImportsRelativeToTheFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("taalm-import-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try "import \"sub/lib.taalm\"\nprint(twice(4))".write(to: dir.appendingPathComponent("main.taalm"), atomically: true, encoding: .utf8)
        try "fn twice(x) { 2 * x }".write(to: dir.appendingPathComponent("sub/lib.taalm"), atomically: true, encoding: .utf8)
        let interp = Interpreter(config: .quiet)
        let output = capture(interp)
        try interp.runFile(path: dir.appendingPathComponent("main.taalm").path)
        #expect(output() == "8\n")
        try? FileManager.default.removeItem(at: dir)
    }

    /// Freeing a million-deep list, record or closure chain is a loop, not a recursion:
    /// the values reach this (small-stack) test thread and are dropped here.
    @Test func deeplyNestedValuesFreeWithoutRecursion() throws {
        var config = InterpreterConfig.quiet
        config.stepLimit = nil
        let interp = Interpreter(config: config)
        // `run`, not `runCell`: runCell clears the process-wide interrupt flag, which the
        // interrupt test (running in parallel) relies on.
        let sources = [
            "var v = []; for i in range(1000000) { v = [v] }",
            "var v = {}; for i in range(1000000) { v = {x: v, y: [1]} }",
            "var v = fn() { 0 }; for i in range(1000000) { let g = v; v = fn() { g() } }",
        ]
        for source in sources {
            try interp.run(source: source, file: "<c>")
            var value = interp.global("v")
            #expect(value != nil)
            interp.reset()  // the globals let go; `value` holds the only reference
            value = nil
        }
        // Deep values print and compare to the display and comparison depth limits.
        let output = capture(interp)
        try interp.run(source: "var a = []; for i in range(100000) { a = [a] }; var b = []; for i in range(100000) { b = [b] }\nprint(a)", file: "<c>")
        #expect(output() == String(repeating: "[", count: 49) + "[...]" + String(repeating: "]", count: 49) + "\n")
        #expect(throws: TaalmError.self) { try interp.run(source: "a == b", file: "<c>") }
        #expect(throws: TaalmError.self) { try interp.run(source: "a < b", file: "<c>") }
        try interp.run(source: "a = 0; b = 0", file: "<c>")
    }

    @Test func unclosedBracketsPointAtTheirOpening() {
        let interp = Interpreter(config: .quiet)
        do throws(TaalmError) {
            try interp.check(source: "let a = [1, 2\nlet c = (3\nprint(a)\nlet d = (4", file: "u.taalm")
            Issue.record("expected errors")
        } catch {
            #expect(interp.render(error) == """
                u.taalm:1:9: error: '[' is never closed
                 1 | let a = [1, 2
                   |         ^
                hint: expected ']' to close the list before 'let' on line 2
                u.taalm:3:1: error: expected ')', found 'print'
                 3 | print(a)
                   | ^
                hint: the '(' at line 2, column 9 is still open
                u.taalm:4:11: error: unexpected end of input
                 4 | let d = (4
                   |           ^
                hint: expected ')'; the '(' at line 4, column 9 is still open
                """)
        }
    }

    @Test func assigningAnUndeclaredNameSaysToDeclareIt() throws {
        let interp = Interpreter(config: .quiet)
        _ = try interp.runCell("1", file: "<c>")  // `_` exists now: never the suggestion
        for (source, hint) in [("x = 1", "declare it with let or var first: var x = ..."),
                               ("var total = 0\ntotl += 1", "did you mean 'total'? A new variable is declared with let or var: var totl = ..."),
                               ("q", nil)] {
            do throws(TaalmError) {
                _ = try interp.runCell(source, file: "<c>")
                Issue.record("expected an error for \(source)")
            } catch {
                #expect(error.message.hasPrefix("undefined variable"))
                #expect(error.diagnostics.first?.hint == hint, "\(source)")
            }
        }
    }

    @Test func importCyclesAndErrorsInImportedFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("taalm-cycle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ name: String, _ text: String) throws {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try write("a.taalm", "import \"b.taalm\"\nfn from_a() { 1 }\n")
        try write("b.taalm", "import \"a.taalm\"\nprint(from_a())\n")
        try write("main.taalm", "let q = 1\nimport \"c.taalm\"\n")
        try write("c.taalm", "fn boom() { error(\"bad\") }\nboom()\n")
        let a = dir.appendingPathComponent("a.taalm").path, b = dir.appendingPathComponent("b.taalm").path
        let interp = Interpreter(config: .quiet)
        do throws(TaalmError) {
            try interp.runFile(path: a)
            Issue.record("expected an error")
        } catch {
            #expect(interp.render(error) == """
                \(b):2:7: error: undefined variable 'from_a'
                 2 | print(from_a())
                   |       ^
                hint: import cycle: a.taalm → b.taalm → a.taalm (a.taalm was still running when b.taalm imported it, so the names it defines after that import did not exist yet)
                  in <top level> at \(b):2:7
                  in <top level> at \(a):1:1
                """)
        }
        let main = dir.appendingPathComponent("main.taalm").path, c = dir.appendingPathComponent("c.taalm").path
        do throws(TaalmError) {
            try Interpreter(config: .quiet).runFile(path: main)
            Issue.record("expected an error")
        } catch {
            #expect(error.trace.map { "\($0.function) at \($0.location)" } == [
                "fn boom at \(c):1:13", "<top level> at \(c):2:1", "<top level> at \(main):2:1",
            ])
        }
        // A directory or a non-UTF-8 file says so.
        try Data([0x70, 0xFF, 0xFE, 0x0A]).write(to: dir.appendingPathComponent("latin.taalm"))
        for (path, reason) in [(dir.path, "it is a directory"), (dir.appendingPathComponent("latin.taalm").path, "it is not UTF-8 text")] {
            do throws(TaalmError) {
                try interp.runFile(path: path)
                Issue.record("expected an error")
            } catch {
                #expect(error.message == "cannot open '\(path)': \(reason)")
            }
        }
    }
}
