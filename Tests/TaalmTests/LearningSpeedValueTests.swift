import CKL
import Testing
import Display
import Language
@testable import Runtime

/// r.epoch90 and r.epochs_to(...) on ckl results, and the Ep@90% column of compare(results).
@Suite struct LearningSpeedValueTests {
    static func result(_ method: String, _ toLearn: [Double]) -> CKLResult {
        CKLResult(method: method, curve: toLearn.enumerated().map { i, a in
            CKLEpochRecord(epoch: i, toLearn: a, notToForget: 0.75, trainLoss: i == 0 ? nil : 1)
        })
    }

    /// TAALM: a plateau from epoch 2 with its top (0.5) at epoch 6; Finetune: slower, top 0.375 at epoch 5.
    static let taalm = result("TAALM", [0, 0.25, 0.46875, 0.46875, 0.484375, 0.46875, 0.5])
    static let finetune = result("Finetune", [0, 0.125, 0.25, 0.3125, 0.34375, 0.375, 0.375])

    func run(_ source: String) -> (output: String, error: TaalmError?, interp: Interpreter) {
        let interp = Runtime.makeInterpreter(frontend: Frontend(progress: .silent))
        interp.define("t", .object(CKLResultValue(Self.taalm, model: nil)))
        interp.define("f", .object(CKLResultValue(Self.finetune, model: nil)))
        var out = ""
        interp.write = { out += $0 }
        do throws(TaalmError) {
            try interp.run(source: source, file: "speed.taalm")
            return (out, nil, interp)
        } catch { return (out, error, interp) }
    }

    @Test func epochsToAShareOfTopOrAnAccuracy() {
        let r = run("""
            print(t.epoch, t.epoch90, t.epochs_to(0.9), t.epochs_to(fraction: 0.95), t.epochs_to(1), t.epochs_to(0.5))
            print(f.epoch, f.epoch90, f.epochs_to(0.9))
            print(t.epochs_to(accuracy: f.top_acc), f.epochs_to(accuracy: t.top_acc), t.epochs_to(accuracy: 0))
            """)
        #expect(r.error == nil, "\(r.error?.message ?? "")")
        // TAALM: 0.45 first at epoch 2, 0.475 at 4, the top at 6, 0.25 at 1. Finetune: 0.3375 at 4 (0.34375), top at 5.
        #expect(r.output == "6 2 2 4 6 1\n5 4 4\n2 nil 0\n")
    }

    @Test func compareShowsTheEpNinetyColumn() {
        let r = run("""
            let c = compare([f, t])
            print(c.columns)
            print(c.rows[1]["Ep@90%"], c.rows[1].Epoch)
            print(c.to_csv().split("\\n")[0])
            print(c)
            print(t.table.columns[3])
            """)
        #expect(r.error == nil, "\(r.error?.message ?? "")")
        let lines = r.output.split(separator: "\n").map(String.init)
        #expect(lines[0] == "[\"Method\", \"Top Acc\", \"Epoch\", \"Ep@90%\", \"NF Acc\", \"Total Knowledge\"]")
        #expect(lines[1] == "2 6")
        #expect(lines[2] == "Method,Top Acc,Epoch,Ep@90%,NF Acc,Total Knowledge")
        #expect(r.output.contains("Ep@90%: first epoch at 90 % of the run's own Top Acc"))
        #expect(lines.last == "Ep@90%")
    }

    @Test func errorsNameTheArgument() {
        func message(_ source: String) -> String { run(source).error?.message ?? "no error" }
        #expect(message("t.epochs_to()") == "epochs_to: give a fraction of the run's Top Acc or an accuracy:")
        #expect(message("t.epochs_to(0.9, accuracy: 0.3)") == "epochs_to: give a fraction or an accuracy:, not both")
        #expect(message("t.epochs_to(0)") == "epochs_to: fraction must be in (0, 1] (a share of the run's Top Acc), not 0.0")
        #expect(message("t.epochs_to(1.5)") == "epochs_to: fraction must be in (0, 1] (a share of the run's Top Acc), not 1.5")
        #expect(message("t.epochs_to(accuracy: -0.5)") == "epochs_to: accuracy must be in [0, 1], not -0.5")
        #expect(message("t.epochs_to(\"a\")") == "epochs_to: fraction must be a finite number, not the string \"a\"")
        #expect(message("t.epochs_to(nan)") == "epochs_to: fraction must be a finite number, not the number nan")
        #expect(message("t.epochs_to(accuracy: nil)") == "epochs_to: give a fraction of the run's Top Acc or an accuracy:")
    }

    @Test func documented() {
        let interp = run("").interp
        #expect(interp.help("t.epochs_to")?.contains("passes Finetune's best") == true)
        #expect(interp.help("t.epochs_to")?.hasPrefix("epochs_to(fraction = nil, accuracy = nil)") == true)
        #expect(interp.help("t")?.contains("epoch90 (first epoch at 90 % of Top Acc)") == true)
        #expect(interp.memberNames(forExpression: "t").contains("epochs_to"))
    }
}
