import CKL
import Display
import Interrupts
import Language
import NN
import TrainAttention

/// A taalm value that provides token weights for CKL training (e.g. a trained
/// Train-Attention model, bound by the Train-Attention builtins): `ckl(..., weighting: v)`.
public protocol TokenWeightingValue: NativeObject {
    var tokenWeighting: any TokenWeighting { get }
}

/// The CKL builtins: lama_ckl, temporal_wiki, pretrain, ckl, ckl_temporal, compare.
enum CKLBuiltins {
    static func all(_ state: RuntimeState) -> [NativeFunction] { [lamaCKL, temporalWiki, pretrain(state), ckl(state), cklTemporal(state), compare] }

    /// Ctrl-C: the native loops take the request and stop cleanly; the builtin returns the
    /// partial result and puts the request back, so the evaluator stops the script at its
    /// next check with every binding (including this result) intact.
    static func stopCheck(_ ctx: CallContext) -> () -> Bool {
        let handles = ctx.config.handlesInterrupts
        return { handles && Interrupt.take() }
    }

    static var lamaCKL: NativeFunction { NativeFunction(
        "lama_ckl",
        doc: """
            A LAMA-ckl benchmark: lama_ckl(preset: "small", seed: 7) generates a world ("tiny", "small", "paper");
            lama_ckl(path: "folder") loads the released units (to_learn.jsonl, not_to_forget.jsonl) and splits them
            (skill: 0.2, meta: 0.3 of TO-LEARN per relation; the rest is the test set).
            """,
        params: [Param("preset", default: .string("small")), Param("seed", default: .number(0)), Param("path", default: .null),
                 Param("skill", default: .number(0.2)), Param("meta", default: .number(0.3))]
    ) { args, _ throws(NativeError) in
        let fn = "lama_ckl"
        let seed = try CKLOptions.seed(args[1], fn) ?? 0
        if let path = try CKLOptions.string(args[2], fn, "path") {
            let recipe = ReleasedRecipe(skillFraction: try CKLOptions.number(args[3], fn, "skill") ?? 0.2,
                                        metaFraction: try CKLOptions.number(args[4], fn, "meta") ?? 0.3, seed: seed)
            do throws(CKLDataError) {
                return .object(BenchmarkValue(try LamaCKLBenchmark.load(folder: path, recipe: recipe), preset: nil))
            } catch { throw NativeError("\(fn): \(error.description)") }
        }
        let preset = try CKLOptions.string(args[0], fn, "preset") ?? "small"
        do throws(CKLDataError) {
            return .object(BenchmarkValue(try LamaCKLBenchmark.generated(preset: preset, seed: seed), preset: preset))
        } catch { throw NativeError("\(fn): \(error.description)", hint: "presets: tiny, small, paper") }
    } }

    static var temporalWiki: NativeFunction { NativeFunction(
        "temporal_wiki",
        doc: "A TemporalWiki-style world that changes over periods: temporal_wiki(preset: \"small\", seed: 7) (presets tiny, small).",
        params: [Param("preset", default: .string("small")), Param("seed", default: .number(0))]
    ) { args, _ throws(NativeError) in
        let fn = "temporal_wiki"
        let preset = try CKLOptions.string(args[0], fn, "preset") ?? "small"
        let seed = try CKLOptions.seed(args[1], fn) ?? 0
        do throws(CKLDataError) { return .object(TemporalBenchmarkValue(try TemporalWikiBenchmark.generated(preset: preset, seed: seed))) } catch {
            throw NativeError("\(fn): \(error.description)")
        }
    } }

    static func pretrain(_ state: RuntimeState) -> NativeFunction { NativeFunction(
        "pretrain",
        doc: """
            The base model of a benchmark (lama_ckl or temporal_wiki): a transformer with rotary positions trained from
            scratch on the pretraining corpus until NOT-TO-FORGET task accuracy reaches `target`, then `extra_epochs` more;
            an error if `max_epochs` pass first. Defaults follow the preset (tiny: dim 64, 2 layers; small: dim 128,
            3 layers, 4 heads). verbose: true prints the curve. The model's .pretraining holds the curve and pre-test levels.
            """,
        params: [Param("bench"), Param("dim", default: .null), Param("layers", default: .null), Param("heads", default: .null),
                 Param("lr", default: .null), Param("batch", default: .null), Param("warmup", default: .null),
                 Param("max_epochs", default: .null), Param("extra_epochs", default: .null), Param("target", default: .null),
                 Param("seed", default: .number(0)), Param("tokenizer", default: .null), Param("bpe_vocab", default: .number(2048)),
                 Param("verbose", default: .bool(true))]
    ) { args, ctx throws(NativeError) in
        let fn = "pretrain"
        let preset: String?
        switch args[0] {
        case .object(let b as BenchmarkValue): preset = b.preset
        case .object(is TemporalBenchmarkValue): preset = "tiny"
        default: throw NativeError("\(fn): the first argument must be a benchmark from lama_ckl() or temporal_wiki(), not a \(args[0].typeName)")
        }
        var c = (try? PretrainConfig.preset(preset ?? "small")) ?? .small
        if let v = try CKLOptions.int(args[1], fn, "dim", range: 2...4096) { c.dim = v }
        if let v = try CKLOptions.int(args[2], fn, "layers", range: 1...64) { c.layers = v }
        if let v = try CKLOptions.int(args[3], fn, "heads", range: 1...256) { c.heads = v }
        if let v = try CKLOptions.number(args[4], fn, "lr") { c.lr = v }
        if let v = try CKLOptions.int(args[5], fn, "batch", range: 1...4096) { c.batchSize = v }
        if let v = try CKLOptions.int(args[6], fn, "warmup") { c.warmupSteps = v }
        if let v = try CKLOptions.int(args[7], fn, "max_epochs", range: 1...10_000) { c.maxEpochs = v }
        if let v = try CKLOptions.int(args[8], fn, "extra_epochs", range: 0...1000) { c.extraEpochs = v }
        if let v = try CKLOptions.number(args[9], fn, "target") { c.target = v }
        c.seed = try CKLOptions.seed(args[10], fn) ?? 0
        switch try CKLOptions.string(args[11], fn, "tokenizer") {
        case nil: c.tokenizer = .automatic
        case "word": c.tokenizer = .word
        case "bpe": c.tokenizer = .bpe(vocabSize: try CKLOptions.int(args[12], fn, "bpe_vocab", range: 260...65536) ?? 2048)
        case let other?: throw NativeError("\(fn): tokenizer must be \"word\" or \"bpe\", not \"\(other)\"")
        }
        let verbose = try CKLOptions.bool(args[13], fn, "verbose", default: true)
        // verbose: one plain line per epoch (the curve, also in reports); otherwise a progress
        // bar on a terminal and one summary line (never escape codes in a report).
        let bar: ProgressSink? = verbose ? nil : state.frontend.progressSink(label: fn, total: 0, unit: "epoch")
        defer { bar?.finish() }
        let progress: (PretrainEpoch) -> Void = { e in
            guard verbose else {
                bar?.update(done: e.epoch, fields: [("loss", fmt(e.loss, 4)), ("NOT-TO-FORGET", fmt(e.notToForget))])
                return
            }
            ctx.write("pretrain epoch \(e.epoch): loss \(fmt(e.loss, 4)), NOT-TO-FORGET \(fmt(e.notToForget)), TO-LEARN \(fmt(e.toLearn))\n")
        }
        let result: PretrainResult = try CKLOptions.run(fn) { () throws(CKLError) in
            switch args[0] {
            case .object(let t as TemporalBenchmarkValue): return try t.benchmark.pretrain(c, progress: progress, shouldStop: stopCheck(ctx))
            case .object(let b as BenchmarkValue): return try b.benchmark.pretrain(c, progress: progress, shouldStop: stopCheck(ctx))
            default: throw .invalidConfiguration("not a benchmark")
            }
        }
        if result.interrupted { Interrupt.request() }
        return .object(ModelValue(result.model, pretraining: result))
    } }

    static func fmt(_ x: Double, _ digits: Int = 3) -> String {
        guard x.isFinite else { return "\(x)" }
        let p = (0..<digits).reduce(1.0) { a, _ in a * 10 }
        let v = (x * p).rounded() / p
        var s = "\(v)"
        if let dot = s.firstIndex(of: ".") {
            let decimals = s.distance(from: dot, to: s.endIndex) - 1
            if decimals < digits { s += String(repeating: "0", count: digits - decimals) }
        }
        return s
    }

    /// The run settings and method of `ckl(...)` / `ckl_temporal(...)` from their arguments
    /// (positions 2… : method, epochs, lr, batch, warmup, seed, lora, adapters, mix_review,
    /// recadam, rho_keep, weighting, optimizer).
    static func runSettings(_ args: Arguments, _ fn: String, defaults: CKLRunConfig, preset: String?) throws(NativeError) -> (CKLMethod, CKLRunConfig) {
        var c = defaults
        if let v = try CKLOptions.int(args[3], fn, "epochs", range: 0...10_000) { c.epochs = v }
        if let v = try CKLOptions.number(args[4], fn, "lr") { c.lr = v }
        if let v = try CKLOptions.int(args[5], fn, "batch", range: 1...4096) { c.batchSize = v }
        if let v = try CKLOptions.int(args[6], fn, "warmup") { c.warmupSteps = v }
        c.seed = try CKLOptions.seed(args[7], fn) ?? 0
        if let o = try CKLOptions.string(args[14], fn, "optimizer") {
            guard let kind = OptimizerKind(rawValue: o) else { throw NativeError("\(fn): optimizer must be sgd, adam or adamw, not \"\(o)\"") }
            c.optimizer = kind
        }
        var m: CKLMethod
        switch args[2] {
        case .string(let name):
            // "taalm" (alone or combined, e.g. "taalm+mix-review") takes its weights from `weighting:`.
            let parts = name.lowercased().split(separator: "+").map { $0.trimmingCharacters(in: .whitespaces) }
            let taalm = parts.contains { $0 == "taalm" || $0 == "train-attention" }
            let rest = parts.filter { $0 != "taalm" && $0 != "train-attention" }.joined(separator: "+")
            if taalm {
                guard case .object(let w) = args[13], w is TokenWeightingValue else {
                    throw NativeError("\(fn): method \"\(name)\" needs weighting: a Train-Attention model",
                                      hint: "let ta = train_attention(base); meta_train(ta, base, examples); ckl(base, bench, method: \"taalm\", weighting: ta)")
                }
            }
            m = rest.isEmpty ? CKLMethod() : try CKLOptions.run(fn) { () throws(CKLError) in try CKLMethod.named(rest) }
        case .null: m = CKLMethod()
        default: throw NativeError("\(fn): method must be a name such as \"finetune\", \"oracle\", \"rho-1\", \"oracle+mix-review\", not \(CKLOptions.describe(args[2]))")
        }
        if case .object(let w as TokenWeightingValue) = args[13] {
            m.weighting = .policy(w.tokenWeighting)
        } else if !args[13].isNil {
            throw NativeError("\(fn): weighting must be a token-weighting value (e.g. a trained Train-Attention model), not a \(args[13].typeName)")
        }
        if let keep = try CKLOptions.number(args[12], fn, "rho_keep") {
            guard case .rho1 = m.weighting else { throw NativeError("\(fn): rho_keep applies to method \"rho-1\" only") }
            m.weighting = .rho1(keepFraction: keep)
        }
        switch try CKLOptions.setting(args[8], fn, "lora", numberKey: "rank", keys: ["rank", "alpha"]) {
        case .off: break
        case .on(let s):
            guard m.variant == .full || m.variant.name == "LoRA" else { throw NativeError("\(fn): lora and adapters cannot be combined") }
            m.variant = .lora(rank: try CKLOptions.int(s["rank"], fn, "lora rank", range: 1...4096) ?? 16,
                              alpha: try CKLOptions.number(s["alpha"], fn, "lora alpha"), targets: nil)
        }
        switch try CKLOptions.setting(args[9], fn, "adapters", numberKey: "dim", keys: ["layers", "dim", "heads", "output_scale"]) {
        case .off: break
        case .on(let s):
            guard m.variant == .full || m.variant.name == "K-Adapter" else { throw NativeError("\(fn): lora and adapters cannot be combined") }
            m.variant = .adapters(layers: try CKLOptions.intList(s["layers"], fn, "adapters layers"),
                                  dim: try CKLOptions.int(s["dim"], fn, "adapters dim", range: 2...4096),
                                  heads: try CKLOptions.int(s["heads"], fn, "adapters heads", range: 1...256),
                                  output: try CKLOptions.number(s["output_scale"], fn, "adapters output_scale").map { $0 == 0 ? .preNorm : .normalized(scale: $0) })
        }
        switch try CKLOptions.setting(args[10], fn, "mix_review", numberKey: "ratio", keys: ["ratio", "decay", "seed"]) {
        case .off: break
        case .on(let s):
            m.mixReview = MixReviewConfig(ratio: try CKLOptions.number(s["ratio"], fn, "mix_review ratio") ?? 0.5,
                                          decay: try CKLOptions.number(s["decay"], fn, "mix_review decay") ?? 1,
                                          seed: try CKLOptions.seed(s["seed"], fn) ?? 0)
        }
        switch try CKLOptions.setting(args[11], fn, "recadam", numberKey: "coefficient", keys: ["coefficient", "k", "t0"]) {
        case .off: break
        case .on(let s):
            m.recAdam = RecAdamConfig(coefficient: try CKLOptions.number(s["coefficient"], fn, "recadam coefficient"),
                                      k: try CKLOptions.number(s["k"], fn, "recadam k") ?? 0.5,
                                      t0: try CKLOptions.int(s["t0"], fn, "recadam t0", range: 0...10_000_000))
        }
        // LoRA and K-Adapter train with their own, larger rate unless lr: is given (TAALM + K-Adapter with its own).
        if args[4].isNil, let lr = m.defaultLearningRate(preset: preset) { c.lr = lr }
        return (m, c)
    }

    static var runParams: [Param] { [
        Param("base"), Param("bench"), Param("method", default: .string("finetune")), Param("epochs", default: .null),
        Param("lr", default: .null), Param("batch", default: .null), Param("warmup", default: .null), Param("seed", default: .number(0)),
        Param("lora", default: .null), Param("adapters", default: .null), Param("mix_review", default: .null),
        Param("recadam", default: .null), Param("rho_keep", default: .null), Param("weighting", default: .null),
        Param("optimizer", default: .null), Param("verbose", default: .bool(false)),
    ] }

    static func baseModel(_ v: Value, _ fn: String) throws(NativeError) -> ModelValue {
        guard case .object(let m as ModelValue) = v else {
            throw NativeError("\(fn): the first argument must be a model (from pretrain() or lm()), not a \(v.typeName)")
        }
        return m
    }

    static func ckl(_ state: RuntimeState) -> NativeFunction { NativeFunction(
        "ckl",
        doc: """
            Runs the LAMA-ckl protocol: trains a copy of `base` on the TO-LEARN evidence for `epochs` epochs and measures
            TO-LEARN and NOT-TO-FORGET task accuracy before training and after every epoch. method: "finetune", "oracle",
            "rho-1", "lora", "k-adapter", "mix-review", "recadam", or a combination with "+" ("oracle+mix-review");
            weighting: a token-weighting value (TAALM). Options: lora: rank or {rank, alpha}; adapters: {layers, dim, heads, output_scale} (the adapters'
            output is RMS-normalised, times a learned gain starting at 0 and output_scale (default 1), added after the final
            norm; output_scale: 0 = the old output, added unbounded before the final norm);
            mix_review: ratio (0.5 rehearsal documents per new one) or {ratio, decay, seed}; recadam: coefficient (0.1 / lr)
            or {coefficient, k, t0}; rho_keep (0.6 of the tokens). Defaults follow the preset (small: AdamW lr 1e-3, batch 16,
            30 epochs, 30 warm-up steps; tiny: 5e-4, 8, 15, 15), except that LoRA and K-Adapter train with lr 1e-2, the rate at
            which they learned most on both presets (measured; at 1e-3 they barely learn), and TAALM + K-Adapter with 5e-3
            except on tiny when its adapters use the old output (output_scale: 0). lr: sets it for every method.
            """,
        params: runParams
    ) { args, ctx throws(NativeError) in
        let fn = "ckl"
        let base = try baseModel(args[0], fn)
        guard case .object(let bench as BenchmarkValue) = args[1] else {
            throw NativeError("\(fn): the second argument must be a benchmark from lama_ckl(), not a \(args[1].typeName)")
        }
        let (method, config) = try runSettings(args, fn, defaults: bench.preset == "tiny" ? .tiny : .small, preset: bench.preset)
        let verbose = try CKLOptions.bool(args[15], fn, "verbose", default: false)
        guard let tokenizer = base.model.tokenizer else { throw NativeError("\(fn): the base model has no tokenizer") }
        // verbose: plain per-epoch lines; otherwise a progress bar (a summary line in reports).
        let bar: ProgressSink? = verbose ? nil : state.frontend.progressSink(label: "ckl \(method.name)", total: config.epochs, unit: "epoch")
        defer { bar?.finish() }
        let (result, trained) = try CKLOptions.run(fn) { () throws(CKLError) in
            try LamaCKLProtocol.run(base: base.model, data: bench.data(for: tokenizer), method: method, config: config,
                                    progress: { e in
                                        guard verbose else {
                                            if e.epoch > 0 {
                                                bar?.update(done: e.epoch, fields: [("TO-LEARN", fmt(e.toLearn)), ("NOT-TO-FORGET", fmt(e.notToForget))])
                                            }
                                            return
                                        }
                                        ctx.write("\(method.name) epoch \(e.epoch): TO-LEARN \(fmt(e.toLearn)), NOT-TO-FORGET \(fmt(e.notToForget))"
                                                  + (e.trainLoss.map { ", loss \(fmt($0, 4))" } ?? "") + "\n")
                                    }, shouldStop: stopCheck(ctx))
        }
        if result.interrupted { Interrupt.request() }
        return .object(CKLResultValue(result, model: ModelValue(trained)))
    } }

    static func cklTemporal(_ state: RuntimeState) -> NativeFunction { NativeFunction(
        "ckl_temporal",
        doc: """
            Runs the TemporalWiki protocol: trains on each period's changed articles in sequence (each period from the
            previous one's model) and measures the mean NLL of the object tokens on CHANGED and UNCHANGED probes after each
            period. Same methods and options as ckl(); `epochs` is per period (default 10).
            """,
        params: runParams
    ) { args, ctx throws(NativeError) in
        let fn = "ckl_temporal"
        let base = try baseModel(args[0], fn)
        guard case .object(let bench as TemporalBenchmarkValue) = args[1] else {
            throw NativeError("\(fn): the second argument must be a world from temporal_wiki(), not a \(args[1].typeName)")
        }
        var defaults = CKLRunConfig(epochs: 10, batchSize: 8, lr: 1e-3, warmupSteps: 10)
        defaults.evalBatchSize = 64
        // TemporalWiki's models are tiny-sized (as in pretrain) and TAALM + K-Adapter's rate was not measured there.
        let (method, config) = try runSettings(args, fn, defaults: defaults, preset: "tiny")
        let verbose = try CKLOptions.bool(args[15], fn, "verbose", default: false)
        let result = try CKLOptions.run(fn) { () throws(CKLError) in
            try TemporalWikiProtocol.run(base: base.model, benchmark: bench.benchmark, method: method, config: config,
                                         progress: { p in
                                             guard verbose else { return }
                                             ctx.write("\(method.name) period \(p.period): changed \(fmt(p.changedNLL)), unchanged \(fmt(p.unchangedNLL))\n")
                                         }, shouldStop: stopCheck(ctx))
        }
        if result.interrupted { Interrupt.request() }
        return .object(TemporalResultValue(result))
    } }

    static var compare: NativeFunction { NativeFunction(
        "compare",
        doc: """
            One comparison table from several results: compare([r1, r2, ...]) (ckl results: Top Acc, Epoch, Ep@90% (the first
            epoch at 90 % of the run's own Top Acc, a learning speed that plateaus do not blur), NF Acc, Total Knowledge;
            ckl_temporal results: NLL per period). Over seeds: compare([[seed 1's results], [seed 2's], ...])
            groups the ckl results by method and gives mean ± sample sd (n − 1) of each metric (a ckl_study: .rows,
            .row(method), .to_csv(), .to_json() with the per-seed values).
            """,
        params: [Param("results"), Param("title", default: .null)]
    ) { args, _ throws(NativeError) in
        let fn = "compare"
        let list = try args.list(0)
        let title = try CKLOptions.string(args[1], fn, "title")
        guard !list.items.isEmpty else { throw NativeError("\(fn): give a non-empty list of results") }
        if list.items.contains(where: { if case .list = $0 { return true } else { return false } }) {
            return try study(list.items, title: title)
        }
        var lama: [CKLResult] = [], temporal: [TemporalResult] = []
        for (i, v) in list.items.enumerated() {
            switch v {
            case .object(let r as CKLResultValue): lama.append(r.result)
            case .object(let r as TemporalResultValue): temporal.append(r.result)
            default: throw NativeError("\(fn): item \(i) is a \(v.typeName), not a result of ckl() or ckl_temporal()")
            }
        }
        guard lama.isEmpty || temporal.isEmpty else { throw NativeError("\(fn): cannot mix LAMA-ckl and TemporalWiki results in one table") }
        if !temporal.isEmpty {
            var t = TemporalResultValue.periodTable(temporal)
            t.title = title
            return .object(CKLTableValue(t))
        }
        return .object(CKLTableValue(CKLResultValue.metricsTable(lama, title: title), results: lama))
    } }

    /// compare's form over seeds: every item a list of one seed's ckl results.
    static func study(_ items: [Value], title: String?) throws(NativeError) -> Value {
        let fn = "compare"
        var bySeed: [[CKLResult]] = []
        for (s, item) in items.enumerated() {
            guard case .list(let l) = item else {
                throw NativeError("\(fn): item \(s) is a \(item.typeName); over seeds, give one list of results per seed",
                                  hint: "compare([[finetune_1, taalm_1], [finetune_2, taalm_2]])")
            }
            var runs: [CKLResult] = []
            for (i, v) in l.items.enumerated() {
                guard case .object(let r as CKLResultValue) = v else {
                    throw NativeError("\(fn): item \(s)[\(i)] is a \(v.typeName), not a result of ckl() (seeds are aggregated for LAMA-ckl runs)")
                }
                runs.append(r.result)
            }
            bySeed.append(runs)
        }
        let study = try CKLOptions.run(fn) { () throws(CKLError) in try CKLStudy(runsBySeed: bySeed) }
        return .object(CKLStudyValue(study, title: title))
    }
}
