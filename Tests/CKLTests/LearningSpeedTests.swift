import JSONText
import Testing
@testable import CKL

/// Learning speed: epochsTo(fraction:) (Ep@90% in the tables) and epochsTo(accuracy:), on
/// hand-made TO-LEARN curves.
@Suite struct LearningSpeedTests {
    /// A run whose TO-LEARN accuracy after epoch i is toLearn[i] (NOT-TO-FORGET 1 − i/8).
    static func run(_ toLearn: [Double], method: String = "run") -> CKLResult {
        CKLResult(method: method, curve: toLearn.enumerated().map { i, a in
            CKLEpochRecord(epoch: i, toLearn: a, notToForget: 1 - 0.125 * Double(i), trainLoss: i == 0 ? nil : 1)
        })
    }

    @Test func aPlateauReachesNinetyPercentLongBeforeItsArgmax() throws {
        // The top (0.5) comes at epoch 7 after a plateau from epoch 3 on; 90 % of it (0.45) is reached at 3.
        let r = Self.run([0, 0.25, 0.4375, 0.46875, 0.46875, 0.484375, 0.46875, 0.5, 0.484375])
        #expect(r.topEpoch == 7)
        #expect(r.epochsTo90 == 3)
        #expect(try r.epochsTo(fraction: 0.9) == 3)
        #expect(try r.epochsTo(fraction: 0.95) == 5, "0.475: first reached by 0.484375 at epoch 5")
        #expect(try r.epochsTo(fraction: 0.5) == 1, "0.25 exactly counts as reached")
        #expect(try r.epochsTo(fraction: 1) == 7, "fraction 1 is the argmax epoch")
        #expect(try r.epochsTo(fraction: 1e-9) == 1, "epoch 0 (accuracy 0) is below any positive share of a positive top")
    }

    @Test func tiesGiveTheEarliestEpochLikeTopAcc() throws {
        let r = Self.run([0, 0.25, 0.5, 0.375, 0.5])
        #expect(try r.topEpoch == 2 && r.epochsTo(fraction: 1) == 2)
        #expect(try r.epochsTo(accuracy: 0.5) == 2)
    }

    @Test func epochZeroAlreadyAtTheTop() throws {
        let r = Self.run([0.125, 0.0625, 0.125])
        #expect(try r.topEpoch == 0 && r.epochsTo90 == 0 && r.epochsTo(fraction: 1) == 0)
        // A run that learns nothing (Top Acc 0) is at "90 % of its top" from the start: read Ep@90% with Top Acc.
        let flat = Self.run([0, 0, 0])
        #expect(try flat.epochsTo90 == 0 && flat.epochsTo(accuracy: 0) == 0 && flat.epochsTo(accuracy: 0.01) == nil)
    }

    @Test func rateRoundingDoesNotHideAnEqualAccuracy() throws {
        // 0.9 × (10/13) is one ulp above 9/13 in Double; 9 of 13 units is 90 % of 10 of 13.
        #expect(0.9 * (10.0 / 13) > 9.0 / 13)
        let r = Self.run([0, 7.0 / 13, 9.0 / 13, 10.0 / 13])
        #expect(r.epochsTo90 == 2)
        // Another run's top computed by a different route is reached when equal.
        #expect(try r.epochsTo(accuracy: 0.9 * (10.0 / 13)) == 2)
        #expect(try r.epochsTo(accuracy: 9.0 / 13 + 1e-9) == 3, "a level genuinely above 9/13 is not reached at epoch 2")
    }

    @Test func absoluteAccuracyIsNilWhenNeverReached() throws {
        let r = Self.run([0, 0.25, 0.375, 0.3125])
        #expect(try r.epochsTo(accuracy: 0.375) == 2)
        #expect(try r.epochsTo(accuracy: 0.3) == 2)
        #expect(try r.epochsTo(accuracy: 0.4) == nil)
        #expect(try r.epochsTo(accuracy: 1) == nil)
        #expect(try r.epochsTo(accuracy: 0) == 0)
        let empty = CKLResult(method: "empty", curve: [])
        #expect(try empty.epochsTo90 == 0 && empty.epochsTo(fraction: 0.5) == 0, "an empty curve gives 0, like topEpoch")
        #expect(try empty.epochsTo(accuracy: 0) == nil)
    }

    @Test func outOfRangeArgumentsAreErrors() {
        let r = Self.run([0, 0.5])
        for f in [0, -0.1, 1.5, .nan, .infinity] {
            do {
                _ = try r.epochsTo(fraction: f)
                Issue.record("fraction \(f) must be an error")
            } catch {
                #expect(error.description == "invalid CKL setting: fraction must be in (0, 1] (a share of the run's Top Acc), not \(f)")
            }
        }
        for a in [-0.25, 1.25, .nan, -.infinity] {
            do {
                _ = try r.epochsTo(accuracy: a)
                Issue.record("accuracy \(a) must be an error")
            } catch { #expect(error.description == "invalid CKL setting: accuracy must be in [0, 1], not \(a)") }
        }
    }

    @Test func exportsAndTheComparisonCarryEpNinety() throws {
        let a = Self.run([0, 0.46875, 0.46875, 0.5], method: "TAALM")
        let b = Self.run([0, 0.125, 0.25], method: "Finetune")
        #expect(try JSONParser.parse(a.toJSON())["epoch90"] == .integer(1))
        let c = CKLComparison([b, a])
        #expect(c.rows.map(\.epoch90) == [2, 1] && c.rows.map(\.epoch) == [2, 3])
        let csv = c.toCSV().split(separator: "\n")
        #expect(csv[0] == "method,top_acc,epoch,epoch90,nf_acc,total_knowledge")
        #expect(csv[2] == "TAALM,0.5,3,1,0.625,1.125")
        #expect(c.toJSON().contains("\"epoch\": 3, \"epoch90\": 1, \"nf_acc\": 0.625"))
        #expect(c.description.split(separator: "\n")[0] == "Method    Top Acc  Epoch  Ep@90%  NF Acc  Total Knowledge")
        #expect(c.description.split(separator: "\n")[3] == "TAALM       0.500      3       1   0.625            1.125")
    }
}
