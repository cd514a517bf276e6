import Foundation
import JSONText
import Testing
@testable import CKL

/// CKLStudy: results over seeds grouped by method, mean and sample sd (n − 1), exports.
@Suite struct StudyTests {
    /// A run whose best TO-LEARN accuracy `top` comes at `epoch` with NOT-TO-FORGET `nf`.
    static func run(_ method: String, top: Double, epoch: Int, nf: Double) -> CKLResult {
        var curve = [CKLEpochRecord(epoch: 0, toLearn: 0, notToForget: 0.9, trainLoss: nil)]
        for e in 1...max(epoch, 1) {
            curve.append(CKLEpochRecord(epoch: e, toLearn: e == epoch ? top : top / 2, notToForget: e == epoch ? nf : 0.5, trainLoss: 1))
        }
        return CKLResult(method: method, curve: curve)
    }

    static let seeds: [[CKLResult]] = [
        [run("Finetune", top: 0.25, epoch: 1, nf: 0.5), run("TAALM", top: 0.5, epoch: 2, nf: 0.75)],
        [run("Finetune", top: 0.5, epoch: 2, nf: 0.75), run("TAALM", top: 0.5, epoch: 4, nf: 0.75)],
        [run("TAALM", top: 0.75, epoch: 3, nf: 0.5), run("Finetune", top: 0.75, epoch: 4, nf: 1.0)],
    ]

    @Test func meanAndSampleStandardDeviation() throws {
        let s = try CKLStudy(runsBySeed: Self.seeds)
        #expect(s.seeds == 3)
        #expect(s.rows.map(\.method) == ["Finetune", "TAALM"], "methods in order of first appearance")
        let ft = try #require(s.row("Finetune"))
        #expect(ft.top.values == [0.25, 0.5, 0.75])
        #expect(ft.top.mean == 0.5)
        // Sample sd: sqrt(((-0.25)² + 0 + 0.25²) / (3 − 1)) = 0.25 (the population sd would be 0.204).
        #expect(ft.top.sd == 0.25)
        #expect(abs(ft.epoch.mean - 7.0 / 3) < 1e-12)
        #expect(abs(try #require(ft.epoch.sd) - (7.0 / 3).squareRoot()) < 1e-12)
        #expect(ft.notToForget.mean == 0.75 && ft.notToForget.sd == 0.25)
        #expect(ft.total.values == [0.75, 1.25, 1.75] && ft.total.mean == 1.25 && ft.total.sd == 0.5)
        let ta = try #require(s.row("TAALM"))
        // Top 0.5, 0.5, 0.75: mean 7/12, sample sd sqrt((2 · (1/12)² + (1/6)²) / 2) = sqrt(1/48); epochs 2, 4, 3: 3 ± 1.
        #expect(abs(ta.top.mean - 7.0 / 12) < 1e-12)
        #expect(abs(try #require(ta.top.sd) - (1.0 / 48).squareRoot()) < 1e-12)
        #expect(ta.epoch.mean == 3 && ta.epoch.sd == 1)
    }

    @Test func oneSeedHasNoSpreadAndMissingMethodsCountTheirRuns() throws {
        let single = SeedSummary([0.4])
        #expect(single.mean == 0.4 && single.sd == nil && single.text(decimals: 3) == "0.400")
        #expect(SeedSummary([0.5, 0.25]).text(decimals: 3) == "0.375 ± 0.177")
        let s = try CKLStudy(runsBySeed: [[Self.run("Finetune", top: 0.5, epoch: 1, nf: 0.5), Self.run("Oracle", top: 1, epoch: 1, nf: 0.5)],
                                          [Self.run("Finetune", top: 0.25, epoch: 1, nf: 0.5)]])
        #expect(s.row("Oracle")?.runs.count == 1 && s.row("Oracle")?.top.sd == nil)
        #expect(s.row("Finetune")?.runs.count == 2)
        #expect(s.row("RHO-1") == nil)
    }

    @Test func exportsCarryMeansSdsAndPerSeedValues() throws {
        let s = try CKLStudy(runsBySeed: Self.seeds)
        let csv = s.toCSV().split(separator: "\n")
        #expect(csv[0] == "method,n,top_acc_mean,top_acc_sd,epoch_mean,epoch_sd,epoch90_mean,epoch90_sd,nf_acc_mean,nf_acc_sd,total_knowledge_mean,total_knowledge_sd")
        let fields = csv[1].split(separator: ",").map(String.init)
        #expect(fields.count == 12)
        #expect(Array(fields[0..<4]) == ["Finetune", "3", "0.5", "0.25"] && Array(fields[8...]) == ["0.75", "0.25", "1.25", "0.5"])
        // These runs jump to their top in one epoch, so Ep@90% (fields 6, 7) equals the argmax epoch (fields 4, 5).
        for i in [4, 6] {
            #expect(abs((Double(fields[i]) ?? 0) - 7.0 / 3) < 1e-12 && abs((Double(fields[i + 1]) ?? 0) - (7.0 / 3).squareRoot()) < 1e-12)
        }
        let json = try Self.items(s.toJSON())
        #expect(json[0]["method"] == .string("Finetune"))
        #expect(json[0]["n"] == .integer(3))
        #expect(json[0]["top_acc"]?["sd"] == .number(0.25))
        #expect(json[1]["epoch"]?["values"] == .array([.integer(2), .integer(4), .integer(3)]))
        let one = try CKLStudy(runsBySeed: [[Self.run("Finetune", top: 0.5, epoch: 1, nf: 0.5)]])
        #expect(one.toCSV().split(separator: "\n")[1] == "Finetune,1,0.5,,1.0,,1.0,,0.5,,1.0,")
        #expect(try Self.items(one.toJSON())[0]["nf_acc"]?["sd"] == .null)
    }

    /// Curves that plateau: the argmax epoch comes late, Ep@90% early.
    static func curve(_ method: String, _ toLearn: [Double]) -> CKLResult {
        CKLResult(method: method, curve: toLearn.enumerated().map { i, a in
            CKLEpochRecord(epoch: i, toLearn: a, notToForget: 0.75, trainLoss: i == 0 ? nil : 1)
        })
    }

    @Test func epochsToNinetyPercentOverSeeds() throws {
        let s = try CKLStudy(runsBySeed: [
            [Self.curve("TAALM", [0, 0.46875, 0.46875, 0.5]), Self.curve("Finetune", [0, 0.25, 0.25])],
            [Self.curve("TAALM", [0, 0.25, 0.46875, 0.46875, 0.5]), Self.curve("Finetune", [0, 0.25, 0.25])],
            [Self.curve("TAALM", [0, 0.125, 0.25, 0.4375, 0.46875, 0.5]), Self.curve("Finetune", [0, 0.125, 0.25])],
        ])
        let ta = try #require(s.row("TAALM"))
        // Tops (0.5) at epochs 3, 4, 5; 90 % of them (0.45) at 1, 2, 4: mean 7/3, sample sd sqrt(7/3).
        #expect(ta.epoch.values == [3, 4, 5] && ta.epoch.mean == 4 && ta.epoch.sd == 1)
        #expect(ta.epoch90.values == [1, 2, 4])
        #expect(abs(ta.epoch90.mean - 7.0 / 3) < 1e-12)
        #expect(abs(try #require(ta.epoch90.sd) - (7.0 / 3).squareRoot()) < 1e-12)
        let ft = try #require(s.row("Finetune"))
        // 90 % of 0.25 at epochs 1, 1, 2: mean 4/3, sample sd sqrt(((1/3)² · 2 + (2/3)²) / 2) = sqrt(1/3).
        #expect(ft.epoch90.values == [1, 1, 2])
        #expect(abs(ft.epoch90.mean - 4.0 / 3) < 1e-12)
        #expect(abs(try #require(ft.epoch90.sd) - (1.0 / 3).squareRoot()) < 1e-12)
        #expect(ta.epoch90.text(decimals: 1) == "2.3 ± 1.5" && ft.epoch90.text(decimals: 1) == "1.3 ± 0.6")
        let lines = s.description.split(separator: "\n").map(String.init)
        #expect(lines[0] == "Method    n        Top Acc      Epoch     Ep@90%         NF Acc  Total Knowledge")
        #expect(lines[1] == "TAALM     3  0.500 ± 0.000  4.0 ± 1.0  2.3 ± 1.5  0.750 ± 0.000    1.250 ± 0.000")
        let json = try Self.items(s.toJSON())
        #expect(json[0]["epoch90"]?["values"] == .array([.integer(1), .integer(2), .integer(4)]))
        let csv = s.toCSV().split(separator: "\n")
        let fields = csv[2].split(separator: ",").map(String.init)
        #expect(fields[0] == "Finetune" && abs((Double(fields[6]) ?? 0) - 4.0 / 3) < 1e-12 && abs((Double(fields[7]) ?? 0) - (1.0 / 3).squareRoot()) < 1e-12)
    }

    static func items(_ json: String) throws -> [JSONValue] {
        guard case .array(let a) = try JSONParser.parse(json) else { throw CKLError.invalidConfiguration("not a JSON array") }
        return a
    }

    @Test func errors() {
        #expect(throws: CKLError.self) { try CKLStudy(runsBySeed: []) }
        do {
            _ = try CKLStudy(runsBySeed: [[Self.run("Finetune", top: 0.5, epoch: 1, nf: 0.5)], []])
            Issue.record("an empty seed list must be an error")
        } catch { #expect(error.description == "invalid CKL setting: seed 1's list of results is empty") }
        do {
            _ = try CKLStudy(runsBySeed: [[Self.run("TAALM", top: 0.5, epoch: 1, nf: 0.5), Self.run("TAALM", top: 0.25, epoch: 1, nf: 0.5)]])
            Issue.record("a method twice in one seed must be an error")
        } catch { #expect(error.description.contains("method \"TAALM\" appears twice in seed 0's results")) }
    }
}
