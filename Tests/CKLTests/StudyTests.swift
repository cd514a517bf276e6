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
        #expect(csv[0] == "method,n,top_acc_mean,top_acc_sd,epoch_mean,epoch_sd,nf_acc_mean,nf_acc_sd,total_knowledge_mean,total_knowledge_sd")
        let fields = csv[1].split(separator: ",").map(String.init)
        #expect(fields.count == 10)
        #expect(Array(fields[0..<4]) == ["Finetune", "3", "0.5", "0.25"] && Array(fields[6...]) == ["0.75", "0.25", "1.25", "0.5"])
        #expect(abs((Double(fields[4]) ?? 0) - 7.0 / 3) < 1e-12 && abs((Double(fields[5]) ?? 0) - (7.0 / 3).squareRoot()) < 1e-12)
        let json = try Self.items(s.toJSON())
        #expect(json[0]["method"] == .string("Finetune"))
        #expect(json[0]["n"] == .integer(3))
        #expect(json[0]["top_acc"]?["sd"] == .number(0.25))
        #expect(json[1]["epoch"]?["values"] == .array([.integer(2), .integer(4), .integer(3)]))
        let one = try CKLStudy(runsBySeed: [[Self.run("Finetune", top: 0.5, epoch: 1, nf: 0.5)]])
        #expect(one.toCSV().split(separator: "\n")[1] == "Finetune,1,0.5,,1.0,,0.5,,1.0,")
        #expect(try Self.items(one.toJSON())[0]["nf_acc"]?["sd"] == .null)
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
