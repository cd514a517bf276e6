import Foundation
import Testing
import TensorCore
@testable import NN

@Suite struct CheckpointTests {
    /// A fresh file path in the temporary folder (callers remove the file with `defer`).
    static func tempPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("taalm-nn-\(UUID().uuidString)-\(name)").path
    }

    static func model() throws -> LanguageModel {
        let tok = try BPETokenizer(corpus: ["Paris is the capital of France.", "Rome is the capital of Italy."], vocabSize: 280)
        let cfg = TransformerConfig(vocabSize: tok.vocabSize, dModel: 16, layers: 2, heads: 2, context: 12, positions: .rotary)
        let m = try LanguageModel(config: cfg, tokenizer: .bpe(tok), seed: 5)
        try m.addLoRA(rank: 2)
        return m
    }

    @Test func roundTripIsBitExact() throws {
        let m = try Self.model()
        let path = Self.tempPath("rt.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try m.save(to: path)
        let back = try LanguageModel.load(from: path)
        #expect(back.config == m.config)
        #expect(back.tokenizer == m.tokenizer)
        #expect(back.lora == m.lora)
        #expect(back.params.paths == m.params.paths)
        for (a, b) in zip(m.params.tensors, back.params.tensors) {
            #expect(a.shape == b.shape)
            #expect(a.scalars.map(\.bitPattern) == b.scalars.map(\.bitPattern))
        }
        #expect(back.trainableParameters.paths == m.trainableParameters.paths)
        // No temporary files are left behind.
        let dir = (path as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).allSatisfy { !$0.contains(".tmp-") })
    }

    static func expectCheckpointError(_ data: Data, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let path = tempPath("bad-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(FileManager.default.createFile(atPath: path, contents: data))
        do {
            _ = try LanguageModel.load(from: path)
            Issue.record("loading succeeded, expected an error mentioning '\(fragment)'", sourceLocation: sourceLocation)
        } catch {
            guard case .checkpoint = error else { Issue.record("not a checkpoint error: \(error)", sourceLocation: sourceLocation); return }
            #expect(error.description.contains(fragment), "\(error.description)", sourceLocation: sourceLocation)
        }
    }

    static func headerAndBody(_ data: Data) -> (String, Data) {
        let bytes = [UInt8](data)
        var n = 0
        for i in 0..<8 { n |= Int(bytes[i]) << (8 * i) }
        return (String(decoding: bytes[8..<(8 + n)], as: UTF8.self), Data(bytes[(8 + n)...]))
    }

    static func assemble(_ header: String, _ body: Data) -> Data {
        var h = Data(header.utf8)
        while h.count % 8 != 0 { h.append(0x20) }
        var n = UInt64(h.count).littleEndian
        var out = Data(bytes: &n, count: 8)
        out.append(h); out.append(body)
        return out
    }

    @Test func corruptionsAreClearErrors() throws {
        let m = try Self.model()
        let path = Self.tempPath("good.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try m.save(to: path)
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        let (header, body) = Self.headerAndBody(good)

        Self.expectCheckpointError(Data(good.prefix(5)), "truncated")
        Self.expectCheckpointError(Data(good.prefix(good.count - 10)), "truncated")
        Self.expectCheckpointError(Data(good.prefix(40)), "truncated")
        var huge = good
        huge.replaceSubrange(0..<8, with: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0])
        Self.expectCheckpointError(huge, "implausibly large")
        var flipped = good
        flipped[good.count - 3] ^= 0x40
        Self.expectCheckpointError(flipped, "corrupted")
        var badJSON = good
        badJSON[9] = UInt8(ascii: "#")
        Self.expectCheckpointError(badJSON, "not valid JSON")
        Self.expectCheckpointError(Self.assemble(header.replacingAll("\"F32\"", with: "\"F16\""), body), "dtype F16")
        // Offsets that no longer tile the data.
        Self.expectCheckpointError(Self.assemble(header, body + Data(count: 8)), "data bytes")
        // A shape that disagrees with its byte range.
        let embedShape = "[\(m.config.vocabSize),16]"
        Self.expectCheckpointError(Self.assemble(header.replacingAll(embedShape, with: "[\(m.config.vocabSize),8]"), body), "needs")
        // A configuration that does not match the tensors.
        Self.expectCheckpointError(Self.assemble(header.replacingAll("\\\"layers\\\":2", with: "\\\"layers\\\":3"), body), "does not match its configuration")
        Self.expectCheckpointError(Self.assemble(header.replacingAll("taalm.config", with: "other.config"), body), "not written by taalm")
        Self.expectCheckpointError(Self.assemble(header.replacingAll("\\\"rank\\\":2", with: "\\\"rank\\\":0"), body), "LoRA rank")
        #expect(throws: NNError.self) { try LanguageModel.load(from: Self.tempPath("missing.safetensors")) }
        #expect(throws: NNError.self) { try m.save(to: "/nonexistent-dir-xyz/m.safetensors") }
    }

    @Test func rawTensorsRoundTrip() throws {
        let p = try ParameterSet([("a.b", Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, -6])), ("z", Tensor.scalar(7)), ("e", Tensor.zeros([0, 4]))])
        let path = Self.tempPath("raw.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Safetensors.write(p, metadata: ["note": "quote \" and \\ and ü"], to: path)
        let (t, meta) = try Safetensors.read(path)
        #expect(t.paths == p.paths)
        #expect(t["a.b"]!.scalars == [1, 2, 3, 4, 5, -6])
        #expect(t["z"]!.shape == [])
        #expect(meta["note"] == "quote \" and \\ and ü")
    }
}
