import NN
import Testing
import TrainAttention
@testable import CKL

/// The learning rates ckl() gives a method unless lr: is given: the preset's for full
/// fine-tuning (nil here), 1e-2 for LoRA and K-Adapter, 5e-3 for TAALM + K-Adapter with the old
/// pre-norm adapter output outside `tiny`.
@Suite struct MethodDefaultsTests {
    static func taalm() throws -> CKLMethod.Weighting {
        let phi = try TrainAttentionModel(config: TransformerConfig(vocabSize: 16, dModel: 8, layers: 1, heads: 1, context: 8), seed: 1)
        return .policy(TrainAttentionWeighting(phi))
    }

    @Test func taalmWithKAdapterTrainsAtKAdaptersRateWithTheNormalisedOutput() throws {
        let combined = CKLMethod(weighting: try Self.taalm(), variant: .adapters())
        #expect(combined.name == "TAALM + K-Adapter")
        #expect(CKLMethod.defaultAdapterOutput == .normalized(scale: 1))
        for preset in ["tiny", "small", "paper", nil] as [String?] {
            #expect(combined.defaultLearningRate(preset: preset) == 1e-2, "preset \(preset ?? "nil")")
        }
        let literature = CKLMethod(weighting: try Self.taalm(), variant: .adapters(output: .literature))
        #expect(literature.defaultLearningRate(preset: "small") == 1e-2)
    }

    @Test func taalmWithPreNormKAdapterHasItsOwnRate() throws {
        let combined = CKLMethod(weighting: try Self.taalm(), variant: .adapters(output: .preNorm))
        #expect(CKLMethod.taalmAdapterLearningRate == 5e-3)
        for preset in ["small", "paper", nil] as [String?] {
            #expect(combined.defaultLearningRate(preset: preset) == 5e-3, "preset \(preset ?? "nil")")
        }
        #expect(combined.defaultLearningRate(preset: "tiny") == 1e-2, "tiny keeps K-Adapter's rate (measured worse at 5e-3)")
        var withMixReview = combined
        withMixReview.mixReview = MixReviewConfig()
        #expect(withMixReview.defaultLearningRate(preset: "small") == 5e-3)
        let custom = CKLMethod(weighting: try Self.taalm(), variant: .adapters(layers: [0], dim: 4, output: .preNorm))
        #expect(custom.defaultLearningRate(preset: "small") == 5e-3)
    }

    @Test func otherMethodsKeepTheirVariantsRate() throws {
        for preset in ["tiny", "small"] {
            #expect(try CKLMethod.named("k-adapter").defaultLearningRate(preset: preset) == 1e-2)
            #expect(try CKLMethod.named("oracle+k-adapter").defaultLearningRate(preset: preset) == 1e-2)
            #expect(try CKLMethod.named("rho-1+k-adapter").defaultLearningRate(preset: preset) == 1e-2)
            #expect(try CKLMethod.named("lora").defaultLearningRate(preset: preset) == 1e-2)
            #expect(try CKLMethod.named("finetune").defaultLearningRate(preset: preset) == nil)
            #expect(try CKLMethod.named("k-adapter+recadam").defaultLearningRate(preset: preset) == 1e-2)
            #expect(CKLMethod(weighting: try Self.taalm()).defaultLearningRate(preset: preset) == nil, "TAALM alone: the preset's rate")
            #expect(CKLMethod(weighting: try Self.taalm(), variant: .lora()).defaultLearningRate(preset: preset) == 1e-2)
        }
    }
}
