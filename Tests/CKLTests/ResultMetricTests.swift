import JSONText
import Testing
@testable import CKL

@Suite struct ResultMetricTests {
    static let result = CKLResult(
        method: "Oracle",
        settings: [.init("lr", "0.001")],
        curve: [
            CKLEpochRecord(epoch: 0, toLearn: 0.0, notToForget: 0.95, trainLoss: nil),
            CKLEpochRecord(epoch: 1, toLearn: 0.25, notToForget: 0.8, trainLoss: 2.5),
            CKLEpochRecord(epoch: 2, toLearn: 0.5, notToForget: 0.7, trainLoss: 1.5),
            CKLEpochRecord(epoch: 3, toLearn: 0.5, notToForget: 0.6, trainLoss: 1.0),
            CKLEpochRecord(epoch: 4, toLearn: 0.375, notToForget: 0.5, trainLoss: 0.5),
        ], plannedEpochs: 4, seconds: 1.5)

    @Test func tableMetricsUseTheEarliestBestEpoch() {
        let r = Self.result
        #expect(r.topAccuracy == 0.5)
        #expect(r.topEpoch == 2)
        #expect(r.notToForgetAtTop == 0.7)
        #expect(r.totalKnowledge == 1.2)
        #expect(r.epochsCompleted == 4)
        #expect(r.toLearnCurve == [0, 0.25, 0.5, 0.5, 0.375])
    }

    @Test func topCanBeEpochZeroAndEmptyCurvesAreZero() {
        let r = CKLResult(method: "x", curve: [CKLEpochRecord(epoch: 0, toLearn: 0.1, notToForget: 0.9, trainLoss: nil),
                                               CKLEpochRecord(epoch: 1, toLearn: 0.05, notToForget: 0.2, trainLoss: 3)])
        #expect(r.topEpoch == 0 && r.topAccuracy == 0.1 && r.notToForgetAtTop == 0.9)
        let e = CKLResult(method: "empty", curve: [])
        #expect(e.topAccuracy == 0 && e.topEpoch == 0 && e.totalKnowledge == 0)
    }

    @Test func jsonAndCSV() {
        let r = Self.result
        let json = r.toJSON()
        #expect(json.hasPrefix("{\"method\": \"Oracle\", \"top_acc\": 0.5, \"epoch\": 2, \"epoch90\": 2, \"nf_acc\": 0.7, \"total_knowledge\": 1.2,"))
        #expect(json.contains("{\"epoch\": 0, \"to_learn\": 0.0, \"not_to_forget\": 0.95, \"train_loss\": null}"))
        #expect(json.contains("\"settings\": {\"lr\": \"0.001\"}"))
        let parsed = try? JSONParser.parse(json)
        #expect(parsed?["epoch"] == .integer(2))
        let csv = r.toCSV().split(separator: "\n")
        #expect(csv.first == "method,epoch,to_learn,not_to_forget,train_loss")
        #expect(csv[1] == "Oracle,0,0.0,0.95,")
        #expect(csv[3] == "Oracle,2,0.5,0.7,1.5")
        #expect(csv.count == 6)
    }

    @Test func comparisonCombinesResults() {
        let f = CKLResult(method: "Finetune, plain", curve: [CKLEpochRecord(epoch: 0, toLearn: 0, notToForget: 0.9, trainLoss: nil),
                                                             CKLEpochRecord(epoch: 1, toLearn: 0.25, notToForget: 0.75, trainLoss: 2)])
        let c = CKLComparison([f, Self.result])
        #expect(c.rows.map(\.method) == ["Finetune, plain", "Oracle"])
        #expect(c.rows.map(\.total) == [1.0, 1.2])
        let csv = c.toCSV().split(separator: "\n")
        #expect(csv[0] == "method,top_acc,epoch,epoch90,nf_acc,total_knowledge")
        #expect(csv[1] == "\"Finetune, plain\",0.25,1,1,0.75,1.0")
        #expect(csv[2] == "Oracle,0.5,2,2,0.7,1.2")
        let lines = c.description.split(separator: "\n")
        #expect(lines[0].hasPrefix("Method           Top Acc  Epoch  Ep@90%  NF Acc  Total Knowledge"))
        #expect(lines[3] == "Oracle             0.500      2       2   0.700            1.200")
        #expect(c.curvesCSV().split(separator: "\n").count == 1 + 2 + 5)
        #expect(c.toJSON().hasPrefix("[{\"method\": \"Finetune, plain\", \"top_acc\": 0.25"))
    }

    @Test func methodNamesComposeAsInThePaper() throws {
        #expect(try CKLMethod.named("finetune").name == "Finetune")
        #expect(try CKLMethod.named("oracle").name == "Oracle")
        #expect(try CKLMethod.named("rho-1").name == "RHO-1")
        #expect(try CKLMethod.named("k-adapter").name == "K-Adapter")
        #expect(try CKLMethod.named("lora").name == "LoRA")
        #expect(try CKLMethod.named("Oracle + Mix-review").name == "Oracle + Mix-review")
        #expect(try CKLMethod.named("recadam").name == "RecAdam")
        #expect(throws: CKLError.self) { try CKLMethod.named("oracle+rho-1") }
        #expect(throws: CKLError.self) { try CKLMethod.named("lora+k-adapter") }
        #expect(throws: CKLError.self) { try CKLMethod.named("magic") }
        #expect(throws: CKLError.self) { try CKLMethod.named("taalm") }
        #expect(throws: CKLError.self) { try CKLMethod.named("") }
    }
}
