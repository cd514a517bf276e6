import Foundation
import Testing
@testable import Language

/// Thousands of random and mutated programs (fixed seeds) must neither crash nor hang the
/// interpreter. The long mode is `taalm-bench fuzz`.
@Suite struct FuzzTests {
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func randomPrograms(seed: UInt64) {
        var fuzzer = Fuzzer(seed: seed)
        let interp = Interpreter(config: Fuzzer.config)
        for i in 0..<500 {
            let program = fuzzer.program()
            #expect(Fuzzer.check(program, in: interp, index: i), "seed \(seed) program \(i):\n\(program)")
            if i % 50 == 49 { interp.reset() }
        }
    }

    @Test(arguments: [UInt64(11), 12, 13, 14])
    func mutatedPrograms(seed: UInt64) {
        var fuzzer = Fuzzer(seed: seed)
        let goldens = Golden.cases().map(\.source)
        let corpus = Fuzzer.corpus + goldens
        let interp = Interpreter(config: Fuzzer.config)
        for i in 0..<500 {
            let program = fuzzer.mutate(corpus[fuzzer.int(corpus.count)])
            #expect(Fuzzer.check(program, in: interp, index: i), "seed \(seed) mutant \(i):\n\(program)")
            if i % 50 == 49 { interp.reset() }
        }
    }

    @Test func pathologicalInputs() {
        let interp = Interpreter(config: Fuzzer.config)
        let inputs = [
            String(repeating: "(", count: 100_000),
            String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000),
            String(repeating: "-", count: 10_000) + "1",
            String(repeating: "not ", count: 10_000) + "true",
            "let x = " + String(repeating: "1 + ", count: 20_000) + "1",
            String(repeating: "if true { ", count: 5000),
            "\"" + String(repeating: "{", count: 10_000),
            "var a = []\nwhile true { a = [a] }",
            "var s = \"ab\"\nwhile true { s = s + s }",
            "var s = \"ab\"\nwhile true { s = \"{s}{s}\" }",
            "let xs = [1]\nxs.push(xs)\nprint(xs == xs, str(xs))",
            "fn f(x) { f }\nf(1)(2)(3)",
            "print(range(1e300)[5], len(range(0, 1e300, 1e-300)))",
            "list(range(1e12))",
            "\"ab\" * 1e15",
            "print(1e308 * 10, -1e308 * 10, 0 ** -1, int(-0.5))",
        ]
        for (i, input) in inputs.enumerated() {
            #expect(Fuzzer.check(input, in: interp, index: 16 * i), "input \(i)")
        }
    }
}
