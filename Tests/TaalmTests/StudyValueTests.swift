import CKL
import Testing
import Display
import Language
@testable import Runtime

/// compare(runs_by_seed): ckl results over seeds, mean ± sample sd per method, in the language.
@Suite struct StudyValueTests {
    static func result(_ method: String, _ toLearn: [Double], _ notToForget: [Double]) -> CKLResult {
        CKLResult(method: method, curve: zip(toLearn, notToForget).enumerated().map { i, p in
            CKLEpochRecord(epoch: i, toLearn: p.0, notToForget: p.1, trainLoss: i == 0 ? nil : 1)
        })
    }

    /// Binds f1, f2 (Finetune: Top 0.25 at 1 / 0.75 at 2) and t1, t2 (TAALM: Top 0.5 at 1 / 0.5 at 1), then runs source.
    func run(_ source: String) -> (output: String, error: TaalmError?) {
        let interp = Runtime.makeInterpreter(frontend: Frontend(progress: .silent))
        let values = [("f1", Self.result("Finetune", [0, 0.25, 0.125], [0.9, 0.75, 0.5])),
                      ("f2", Self.result("Finetune", [0, 0.5, 0.75], [0.9, 0.75, 0.5])),
                      ("t1", Self.result("TAALM", [0, 0.5, 0.25], [0.9, 0.75, 0.5])),
                      ("t2", Self.result("TAALM", [0, 0.5, 0.5], [0.9, 0.875, 0.5]))]
        for (name, r) in values { interp.define(name, .object(CKLResultValue(r, model: nil))) }
        var out = ""
        interp.write = { out += $0 }
        do throws(TaalmError) {
            try interp.run(source: source, file: "study.taalm")
            return (out, nil)
        } catch { return (out, error) }
    }

    @Test func compareOverSeedsGivesMeanAndSampleSd() {
        let r = run("""
            let s = compare([[f1, t1], [t2, f2]], title: "two seeds")
            print(s.seeds, s.methods, len(s))
            let f = s.row("Finetune")
            print(f.n, f.top_acc, f.top_acc_sd, f.epoch, f.epoch_sd, f.nf_acc, f.nf_acc_sd, f.total, f.total_sd)
            print(s.row("TAALM").top_acc_sd, s.rows[1].nf_acc)
            print(f.epoch90, f.epoch90_sd, s.row("TAALM").epoch90, s.row("TAALM").epoch90_sd)
            print(s)
            print(s.to_csv())
            """)
        #expect(r.error == nil, "\(r.error?.message ?? "")")
        let lines = r.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "2 [\"Finetune\", \"TAALM\"] 2")
        // Top 0.25, 0.75 → 0.5 ± sqrt(0.125) = 0.35355…; epochs 1, 2 → 1.5 ± 0.7071…; NF 0.75, 0.5; Total 1.0, 1.25.
        #expect(lines[1] == "2 0.5 0.3535533905932738 1.5 0.7071067811865476 0.625 0.1767766952966369 1.125 0.1767766952966369")
        #expect(lines[2] == "0 0.8125")
        // Ep@90%: Finetune's 0.225 of 0.25 at epoch 1 and 0.675 of 0.75 at epoch 2; TAALM's at epoch 1 in both seeds.
        #expect(lines[3] == "1.5 0.7071067811865476 1 0")
        #expect(r.output.contains("two seeds"))
        #expect(r.output.contains("Finetune  2  0.500 ± 0.354  1.5 ± 0.7  1.5 ± 0.7  0.625 ± 0.177"))
        #expect(r.output.contains("mean ± sample sd over seeds (n − 1)"))
        #expect(r.output.contains("method,n,top_acc_mean,top_acc_sd,epoch_mean,epoch_sd,epoch90_mean,epoch90_sd,nf_acc_mean,nf_acc_sd,total_knowledge_mean,total_knowledge_sd\nFinetune,2,0.5,0.3535533905932738,1.5,0.7071067811865476,1.5,0.7071067811865476,0.625,"))
    }

    /// Two runs of one method (say TAALM with two φs) need their own rows: labeled(name).
    @Test func labeledRunsGetTheirOwnRows() {
        let r = run("""
            let a = t1.labeled("TAALM, φ A")
            print(a.method, a.settings.method, t1.method, a.top_acc == t1.top_acc, a.epochs.to_csv() == t1.epochs.to_csv())
            let s = compare([[f1, t1, t2.labeled("TAALM, φ B")], [f2, t2, t1.labeled("TAALM, φ B")]])
            print(s.methods, s.row("TAALM, φ B").n, s.row("TAALM, φ B").top_acc)
            print(compare([f1, a]))
            """)
        #expect(r.error == nil, "\(r.error?.message ?? "")")
        let lines = r.output.split(separator: "\n").map(String.init)
        #expect(lines[0] == "TAALM, φ A TAALM TAALM true true")
        #expect(lines[1] == "[\"Finetune\", \"TAALM\", \"TAALM, φ B\"] 2 0.5")
        #expect(r.output.contains("TAALM, φ A "), "\(r.output)")
        func message(_ source: String) -> String { run(source).error?.message ?? "no error" }
        #expect(message("t1.labeled(\"  \")").hasPrefix("labeled: give the run a non-empty name (a string), not string"))
        #expect(message("t1.labeled(3)").hasPrefix("labeled: give the run a non-empty name (a string), not number"))
        // Without a label, the same method twice in one seed is still refused, with the way out.
        #expect(message("compare([[t1, t2]])").hasPrefix("compare: invalid CKL setting: method \"TAALM\" appears twice"))
    }

    /// A mean over one seed prints like that seed's own row (both round half away from zero).
    @Test func oneSeedMeansPrintAsTheRunsOwnRow() {
        // Top 0.2916…, NF 0.7958…: Total 1.0875 in binary just below the half; the run's row says 1.088.
        let f = Self.result("Finetune", [0, 0.2916666666666667], [0.9, 0.7958333333333333])
        let interp = Runtime.makeInterpreter(frontend: Frontend(progress: .silent))
        interp.define("f", .object(CKLResultValue(f, model: nil)))
        var out = ""
        interp.write = { out += $0 }
        #expect(throws: Never.self) { try interp.run(source: "print(compare([f]))\nprint(compare([[f]]))", file: "one.taalm") }
        let rows = out.split(separator: "\n").filter { $0.hasPrefix("Finetune") }
        #expect(rows.count == 2 && rows.allSatisfy { $0.contains("1.088") }, "\(out)")
    }

    @Test func compareOverSeedsErrors() {
        func message(_ source: String) -> String { run(source).error?.message ?? "no error" }
        #expect(message("compare([[f1], 3])") == "compare: item 1 is a number; over seeds, give one list of results per seed")
        #expect(message("compare([[f1, 2]])") == "compare: item 0[1] is a number, not a result of ckl() (seeds are aggregated for LAMA-ckl runs)")
        #expect(message("compare([[f1], []])") == "compare: invalid CKL setting: seed 1's list of results is empty")
        #expect(message("compare([[f1, f2]])").hasPrefix("compare: invalid CKL setting: method \"Finetune\" appears twice in seed 0's results"))
        #expect(message("compare([[f1]]).row(\"Oracle\")") == "row: no method \"Oracle\" in this study")
        #expect(message("compare([[f1]]).row(3)") == "row: method must be a string, not a number")
        // One seed: no spread (nil sd), the table shows the mean alone.
        let one = run("let s = compare([[f1]])\nprint(s.row(\"Finetune\").top_acc_sd)\nprint(s)")
        #expect(one.error == nil && one.output.hasPrefix("nil\n") && one.output.contains("Finetune  1  0.250 "))
    }
}
