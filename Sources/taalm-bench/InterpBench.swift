import Foundation
import Language

/// The `interp` section: taalm scripts run through the Interpreter, median of 7 runs.
/// Cases: recursive fib(25); the sum of i*i for i < 1,000,000 inside a function and at
/// top level; the language interpreter's start-up (its builtins + prelude); and the whole
/// `taalm` process (`taalm -e 0`: every builtin, the prelude, exit), an upper bound on the
/// REPL's time to its first prompt. `Benchmarks/reference/interp_python.py` times the
/// same programs in CPython.
enum InterpBench: BenchSection {
    static let name = "interp"

    struct Case {
        let name: String
        let setup: String
        let timed: String
    }

    static let cases = [
        Case(name: "fib25",
             setup: "fn fib(n) { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }",
             timed: "fib(25)"),
        Case(name: "loop_1m_fn",
             setup: "fn sum_squares(n) {\n    var total = 0\n    for i in range(n) { total += i * i }\n    total\n}",
             timed: "sum_squares(1000000)"),
        Case(name: "loop_1m_top",
             setup: "",
             timed: "var total = 0\nfor i in range(1000000) { total += i * i }"),
    ]

    static let runs = 7

    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15
    }

    static func run(_ report: Reporter) {
        let clock = ContinuousClock()
        var results: [(String, Double)] = []
        for c in cases {
            let interp = Interpreter()
            interp.write = { _ in }
            var times: [Double] = []
            do {
                if !c.setup.isEmpty { try interp.run(source: c.setup, file: "<bench \(c.name)>") }
                _ = try interp.runCell(c.timed, file: "<bench \(c.name)>")  // warm-up
                for _ in 0..<runs {
                    var failure: TaalmError?
                    let t = clock.measure {
                        do throws(TaalmError) { _ = try interp.runCell(c.timed, file: "<bench \(c.name)>") } catch { failure = error }
                    }
                    if let failure { throw failure }
                    times.append(milliseconds(t))
                }
            } catch let error as TaalmError {
                report.note("interp \(c.name) failed: \(interp.render(error))")
                continue
            } catch {
                continue
            }
            results.append((c.name, median(times)))
        }
        var startup: [Double] = []
        for _ in 0..<runs { startup.append(milliseconds(clock.measure { _ = Interpreter() })) }
        results.append(("startup", median(startup)))
        if let ms = processStartup(runs: runs) { results.append(("process_startup", ms)) }

        for (name, ms) in results { report.record(section: "interp", case: name, [("ms", ms)]) }
    }
}

extension InterpBench {
    /// Median wall time of `taalm -e 0` run as a process, from the `taalm` built beside this
    /// binary; nil (with a note) when it is missing.
    static func processStartup(runs: Int) -> Double? {
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let taalm = exe.deletingLastPathComponent().appendingPathComponent("taalm").path
        guard FileManager.default.isExecutableFile(atPath: taalm) else { return nil }
        let clock = ContinuousClock()
        var times: [Double] = []
        for _ in 0..<runs {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: taalm)
            p.arguments = ["-e", "0"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            var failed = false
            let t = clock.measure {
                do { try p.run(); p.waitUntilExit() } catch { failed = true }
            }
            if failed || p.terminationStatus != 0 { return nil }
            times.append(milliseconds(t))
        }
        return median(times)
    }
}

/// Long fuzzing: random and mutated programs until the time is up (fixed seed sequence,
/// so a failure is reproducible from its seed and index). Prints a summary and every
/// program that made the interpreter misbehave.
enum FuzzBench: BenchSection {
    static let name = "fuzz"
    /// Long: runs only when named (`taalm-bench fuzz`); TAALM_FUZZ_SECONDS sets the time (default 30).
    static let runsByDefault = false

    static func run(_ report: Reporter) {
        let seconds = ProcessInfo.processInfo.environment["TAALM_FUZZ_SECONDS"].flatMap(Double.init) ?? 30
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        var seed: UInt64 = 1
        var programs = 0, failures = 0, errors = 0
        while ContinuousClock.now < deadline {
            var fuzzer = Fuzzer(seed: seed)
            let interp = Interpreter(config: Fuzzer.config)
            for i in 0..<200 {
                let program = i % 2 == 0 ? fuzzer.program() : fuzzer.mutate(Fuzzer.corpus[fuzzer.int(Fuzzer.corpus.count)])
                if !Fuzzer.check(program, in: interp, index: i) {
                    failures += 1
                    print("fuzz failure (seed \(seed), program \(i)):\n\(program)\n---")
                }
                if (try? interp.runCell(program, file: "<again>")) == nil { errors += 1 }
                programs += 1
                if i % 50 == 49 { interp.reset() }
            }
            seed += 1
        }
        report.record(section: "fuzz", case: "programs", [("programs", Double(programs)), ("failures", Double(failures)), ("taalm_errors", Double(errors))])
        report.note("fuzz: \(programs) programs from \(seed - 1) seeds in \(String(format: "%.0f", seconds)) s, \(failures) failures, \(errors) ended in a taalm error")
    }
}
