import Foundation
import Interrupts
import Language
import NN
import Runtime
import Testing

/// Models in the language, end to end where golden files are awkward: training that
/// memorises facts, checkpoints through files (corrupted ones too), a hand-written
/// training step, Ctrl-C during fit, documentation, and a small fuzz over every builtin
/// and method (no input may trap).
@Suite(.serialized) struct ModelBindingTests {
    /// Runs `source`, returning printed output or the rendered error.
    static func run(_ source: String, config: InterpreterConfig = .init(), interp given: Interpreter? = nil) -> (out: String, error: String?) {
        let interp = given ?? Runtime.makeInterpreter(config: config)
        var out = ""
        interp.write = { out += $0 }
        do throws(TaalmError) {
            try interp.run(source: source, file: "test.taalm")
            return (out, nil)
        } catch {
            return (out, interp.render(error))
        }
    }

    static let facts = """
        let names = ["Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi"]
        let cities = ["Paris", "Rome", "Oslo", "Lima", "Cairo", "Quito", "Dakar", "Hanoi"]
        var corpus = []
        var answers = []
        for (i, n) in enumerate(names) {
            corpus.push("{n} lives in {cities[i]} .")
            answers.push(cities[i])
        }
        let tok = word_tokenizer(corpus)
        """

    @Test func trainedModelMemorisesFacts() {
        let (out, error) = Self.run(Self.facts + """

            let m = lm(tok, dim: 32, layers: 2, heads: 4, context: 8, seed: 1)
            print(m.accuracy(corpus, answers) < 0.5)
            let r = fit(m, corpus, epochs: 150, lr: 1e-2, batch: 4, progress: false)
            print(m.accuracy(corpus, answers))
            print(r.final_loss < 0.7, r.epoch_losses[-1] < r.epoch_losses[0])
            for (i, n) in enumerate(names) { assert(m.generate("{n} lives in", tokens: 1) == cities[i], "fact {i}") }
            print("ok")
            """)
        #expect(error == nil, "\(error ?? "")")
        #expect(out == "true\n1\ntrue true\nok\n")
    }

    @Test func handWrittenTrainingStepLowersTheLoss() {
        let (out, error) = Self.run(Self.facts + """

            let m = lm(tok, dim: 16, layers: 1, heads: 2, context: 8, seed: 2)
            let opt = adam(m, lr: 3e-3)
            var losses = []
            for step in range(15) {
                let (loss, g) = value_and_grad(fn(p) { m.loss(corpus, params: p) })(m.params)
                opt.step(g)
                losses.push(loss.item())
            }
            print(all(map(range(14), fn(i) { losses[i + 1] < losses[i] })), opt.steps)
            print(m.loss(corpus).item() < losses[0] - 0.3)
            """)
        #expect(error == nil, "\(error ?? "")")
        #expect(out == "true 15\ntrue\n")
    }

    @Test func checkpointRoundTripIsBitExactThroughTheLanguage() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("taalm-binding-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("m.safetensors").path
        let (out, error) = Self.run(Self.facts + """

            let m = lm(tok, dim: 16, layers: 2, heads: 2, context: 8, norm: "rms", positions: "rotary", seed: 5)
            fit(m, corpus, epochs: 3, progress: false)
            m.add_adapters(layers: [1], dim: 8)
            m.freeze("adapters.0.down")
            save(m, "\(path)")
            let back = load("\(path)")
            print(all(map(m.params.keys(), fn(k) { (back.params[k] == m.params[k]).min().item() == 1 })))
            print(back.params.keys() == m.params.keys(), back.frozen, back.adapters, back.config == m.config)
            print(back.generate("Alice lives in", tokens: 3) == m.generate("Alice lives in", tokens: 3))
            """)
        #expect(error == nil, "\(error ?? "")")
        #expect(out == "true\ntrue [\"adapters.0.down\"] {layers: [1], dim: 8, heads: 1} true\ntrue\n")
        // The file is standard safetensors: NN's reader (a strict one) sees F32 tensors and metadata.
        let (tensors, meta) = try Safetensors.read(path)
        #expect(tensors.count > 20 && meta["taalm.config"] != nil)

        // Corruptions are clear taalm errors, never traps.
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let cases: [(String, Data)] = [
            ("truncated", data.prefix(data.count - 7)),
            ("header", Data([0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]) + data.dropFirst(8)),
            ("bit flip", { var d = data; d[d.count - 3] ^= 0x40; return d }()),
            ("garbage", Data("not a checkpoint at all".utf8)),
        ]
        for (name, bytes) in cases {
            let bad = dir.appendingPathComponent("\(name).safetensors").path
            try bytes.write(to: URL(fileURLWithPath: bad))
            let (_, err) = Self.run("load(\"\(bad)\")")
            #expect(err?.contains("error: load: '\(bad)'") == true, "\(name): \(err ?? "no error")")
            #expect(err?.contains("hint:") == true, "\(name) has a hint")
        }
    }

    @Test func ctrlCStopsFitAfterTheCurrentStepAndKeepsTheModel() {
        var config = InterpreterConfig()
        config.handlesInterrupts = false  // only fit's own loop takes the request, as during a native step
        let interp = Runtime.makeInterpreter(config: config)
        interp.define(NativeFunction("press_ctrl_c", doc: "test: requests an interrupt") { _, _ throws(NativeError) in
            Interrupt.request()
            return .null
        })
        let (out, error) = Self.run(Self.facts + """

            let m = lm(tok, dim: 16, layers: 1, heads: 2, context: 8)
            let r = fit(m, corpus, epochs: 50, batch: 2, eval_every: 3, progress: false, eval: fn(s, e) { press_ctrl_c() })
            print(r.interrupted, r.steps, len(r.losses))
            print(str(r).split("\\n")[-1])
            print(m.loss(corpus).item() > 0)
            """, interp: interp)
        Interrupt.clear()
        #expect(error == nil, "\(error ?? "")")
        #expect(out == "true 3 3\n  interrupted by Ctrl-C: the model keeps its last completed step\ntrue\n")
    }

    @Test func documentationExplainsBuiltinsAndMethods() {
        let interp = Runtime.makeInterpreter()
        _ = Self.run("let tok = word_tokenizer(\"a b\"); let m = lm(tok, dim: 8, heads: 2); let opt = adamw(m); let r = fit(m, \"a b\", epochs: 1, progress: false)", interp: interp)
        let expectations: [(String, String)] = [
            ("lm", "decoder-only transformer"), ("fit", "Ctrl-C"), ("word_tokenizer", "word-level"), ("bpe_tokenizer", "byte-level"),
            ("adamw", "decoupled weight decay"), ("sgd", "momentum"), ("save", "safetensors"), ("load", "checksum"),
            ("m", "Methods:"), ("m.generate", "temperature"), ("m.loss", "differentiable"), ("m.accuracy", "LAMA-ckl"),
            ("m.nll", "per-token"), ("m.add_lora", "rank"), ("m.freeze", "glob"), ("tok.encode", "token ids"),
            ("tok.show", "boundaries"), ("opt.step", "value_and_grad"), ("opt.state", "moment"), ("r", "epoch_losses"),
        ]
        for (name, phrase) in expectations {
            let doc = interp.help(name) ?? ""
            #expect(doc.contains(phrase), "?\(name) should mention \(phrase): \(doc)")
        }
        #expect(interp.memberNames(forExpression: "m").contains("generate"))
    }

    /// Every builtin and method with awkward arguments: each call ends in a value or a
    /// taalm error, never a crash. (A trap would kill the test process.)
    @Test func fuzzedArgumentsNeverTrap() {
        let interp = Runtime.makeInterpreter()
        _ = Self.run("""
            let tok = word_tokenizer(["a b c .", "c b a ."])
            let bpe = bpe_tokenizer(["a b c"], vocab: 262)
            let m = lm(tok, dim: 8, layers: 1, heads: 2, context: 4)
            let opt = sgd(m)
            """, interp: interp)
        let values = ["nil", "-1", "0", "1.5", "3", "1e12", "nan", "inf", "\"\"", "\"a b\"", "\"<eos> z\"", "[]", "[[]]", "[1, 99]", "[-1]",
                      "[[1, 2], [3]]", "{}", "{\"head.weight\": zeros(1)}", "tensor([1, 2])", "zeros(2, 2)", "m", "tok", "true"]
        let calls = ["m.loss(X)", "m.loss(\"a b\", params: X)", "m.logits(X)", "m.nll(X)", "m.generate(X, tokens: 2)",
                     "m.generate(\"a\", tokens: X)", "m.generate(\"a\", temperature: X, tokens: 1)", "m.generate(\"a\", top_k: X, tokens: 1)",
                     "m.perplexity(X)", "m.accuracy(X, X)", "m.accuracy([\"a b\"], [X])", "m.set_params(X)", "m.freeze(X)",
                     "m.copy().add_lora(rank: X)", "m.copy().add_adapters(layers: X)", "m.copy().add_adapters(dim: X)",
                     "tok.encode(X)", "tok.decode(X)", "tok.tokens(X)", "tok.show(X)", "tok.id(X)", "tok.token(X)", "bpe.decode(X)",
                     "word_tokenizer(X)", "word_tokenizer([\"a\"], max_vocab: X)", "bpe_tokenizer(X, vocab: 261)",
                     "lm(X, dim: 8, heads: 2)", "lm(tok, dim: X, heads: 2)", "lm(tok, dim: 8, heads: X)", "lm(tok, dim: 8, heads: 2, context: X)",
                     "lm(tok, dim: 8, heads: 2, layers: X)", "lm(tok, mlp_ratio: X, dim: 8, heads: 2)", "lm(tok, dim: 8, heads: 2, dropout: X)",
                     "fit(m.copy(), X, epochs: 1, progress: false)", "fit(m.copy(), \"a b\", epochs: 1, lr: X, progress: false)",
                     "fit(m.copy(), \"a b\", epochs: 1, batch: X, progress: false)", "fit(m.copy(), \"a b\", epochs: 1, clip: X, progress: false)",
                     "fit(m.copy(), \"a b\", epochs: 1, warmup: X, schedule: \"linear\", progress: false)",
                     "adamw(m, lr: X)", "sgd(m, momentum: X)", "adam(m, betas: X)", "opt.step(X)", "opt.state(X)",
                     "save(X, \"/nonexistent/x\")", "load(X)", "m.params = X", "m.save(X)"]
        // Files the fuzzed saves manage to write land in a temporary folder, not the working directory.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("taalm-fuzz-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var ran = 0
        for call in calls {
            for v in values {
                let arg = call.hasPrefix("m.save(") && v.hasPrefix("\"") && v.count > 2 ? "\"\(scratch)/" + v.dropFirst() : v
                let src = call.replacingOccurrences(of: "X", with: arg)
                _ = Self.run(src, interp: interp)
                ran += 1
            }
        }
        #expect(ran > 900)
        // The model survived the abuse: it still scores text.
        #expect(Self.run("print(m.loss(\"a b\").item() > 0)", interp: interp).out == "true\n")
    }

    /// examples/03_language_model.taalm runs, learns every fact, and reloads its checkpoint.
    @Test func languageModelExampleRuns() throws {
        let checkpoint = FileManager.default.temporaryDirectory.appendingPathComponent("taalm-example-\(UUID().uuidString).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: checkpoint) }
        let interp = Runtime.makeInterpreter()
        interp.scriptArguments = [checkpoint]
        var out = ""
        interp.write = { out += $0 }
        try interp.runFile(path: PackagePaths.examples.appendingPathComponent("03_language_model.taalm").path)
        #expect(out.contains("city accuracy 1, job accuracy 1"), "\(out)")
        #expect(out.contains("reloaded from \(checkpoint): same loss true, same answer true"))
        #expect(FileManager.default.fileExists(atPath: checkpoint))
    }
}
