import Testing
@testable import Language

/// Calls of global functions borrow the function from its global without retaining it
/// (BorrowedCalls.swift). Overwriting that global while the function runs must retire it,
/// not free it: the body keeps running, and the function is released once it returns.
@Suite struct BorrowedCallTests {
    @Test func functionReplacingItsOwnGlobalKeepsRunning() throws {
        let interp = Interpreter(config: .quiet)
        // Defined in an earlier cell: once that cell's code is gone, the global is the only owner.
        _ = try interp.runCell("var step = fn(n) { step = nil\n let tail = [n + 1, \"still running\"]\n [n] + tail }", file: "<cell 1>")
        #expect(interp.display(try #require(try interp.runCell("step(1)", file: "<cell 2>"))) == "[1, 2, \"still running\"]")
        #expect(interp.global("step")?.isNil == true)
    }

    @Test func recursionWhoseDeepestCallDropsTheGlobal() throws {
        let interp = Interpreter(config: .quiet)
        _ = try interp.runCell("var count = fn(n) { if n == 0 { count = 0\n return 0 }\n 1 + count(n - 1) }", file: "<cell 1>")
        #expect(try interp.runCell("count(50)", file: "<cell 2>")?.numberValue == 50)
        #expect(interp.global("count")?.numberValue == 0)
    }

    @Test func replacedWhileRunningThenCalledAgain() throws {
        let interp = Interpreter(config: .quiet)
        _ = try interp.runCell("var f = fn(n) { if n > 0 { f = fn(k) { k * 100 }\n f(n - 1) + n } else { n } }", file: "<cell 1>")
        #expect(try interp.runCell("f(3)", file: "<cell 2>")?.numberValue == 203)
        #expect(try interp.runCell("f(3)", file: "<cell 3>")?.numberValue == 300)
    }

    @Test func errorInsideABorrowedCallStillSettles() throws {
        let interp = Interpreter(config: .quiet)
        _ = try interp.runCell("var g = fn(n) { g = nil\n n / nil }", file: "<cell 1>")
        #expect(throws: TaalmError.self) { try interp.runCell("g(1)", file: "<cell 2>") }
        #expect(interp.global("g")?.isNil == true)
        _ = try interp.runCell("var h = fn(n) { h = 1\n n }", file: "<cell 3>")
        #expect(try interp.runCell("h(7)", file: "<cell 4>")?.numberValue == 7)
    }
}
