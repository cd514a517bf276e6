import Language
import NN

/// `fit(m, corpus, ...)`: the native training loop (NN's `fit`) with its options read
/// from taalm, progress on stderr, and a `train_result` value back.
enum FitBuiltin {
    static func fit(_ state: RuntimeState) -> NativeFunction {
        NativeFunction("fit", doc: """
            fit(m, corpus, epochs: 20, lr: 3e-3, batch: 16, optimizer: "adamw", weight_decay: nil, warmup: 0, schedule: \
            "constant", clip: nil, seed: 0, shuffle: true, max_steps: nil, eval: nil, eval_every: 0, progress: true) trains \
            model m on corpus (a string, one text per line, or a list of texts; or lists of token ids), each text as \
            <bos> text <eos>, in shuffled padded batches, natively. optimizer: "adamw", "adam", "sgd", or an optimizer \
            value of m (its state carries on). schedule: "constant", "linear" or "cosine" after warmup steps. eval: a \
            function (step, epoch) called after every epoch (or every eval_every steps); its results are in .evals. \
            Returns a train_result (losses per step and epoch, final_loss, time). Progress shows on stderr when it is a \
            terminal. Ctrl-C stops after the current step and keeps the model (result.interrupted is true); a loss that \
            becomes NaN is an error naming the step.
            """, params: [Param("model"), Param("corpus"), Param("epochs", default: .number(20)), Param("lr", default: .number(3e-3)),
                          Param("batch", default: .number(16)), Param("optimizer", default: .string("adamw")),
                          Param("weight_decay", default: .null), Param("warmup", default: .number(0)),
                          Param("schedule", default: .string("constant")), Param("clip", default: .null),
                          Param("seed", default: .number(0)), Param("shuffle", default: .bool(true)),
                          Param("max_steps", default: .null), Param("eval", default: .null), Param("eval_every", default: .number(0)),
                          Param("progress", default: .bool(true))]) { args, ctx throws(NativeError) in
            try run(args, ctx, frontend: state.frontend)
        }
    }

    static func run(_ args: Arguments, _ ctx: CallContext, frontend: Frontend) throws(NativeError) -> Value {
        let m = try ModelBuiltins.model(args[0], "fit: model")
        let seqs = try ModelInputs.sequences(m, args[1], "fit: corpus")
        let epochs = try ModelArgs.int(args[2], "fit: epochs", min: 1)
        let lr = try ModelArgs.double(args[3], "fit: lr")
        let batch = try ModelArgs.int(args[4], "fit: batch", min: 1)
        let maxSteps = try ModelArgs.optionalInt(args[12], "fit: max_steps", min: 1)
        let windows = seqs.reduce(0) { $0 + TokenBatch.windows($1, context: m.config.context).count }
        guard windows > 0 else { throw NativeError("fit: the corpus has no text of two or more tokens") }
        var total = (windows + batch - 1) / batch * epochs
        if let ms = maxSteps { total = Swift.min(total, ms) }

        var given: Optimizer? = nil
        var config = OptimizerConfig.adamw(lr: lr)
        if case .object(let o) = args[5], let ov = o as? OptimizerValue {
            guard ov.model === m else { throw NativeError("fit: the optimizer belongs to another model", hint: "make it with adamw(m) for this model") }
            given = ov.optimizer
            config = ov.optimizer.config
        } else {
            let kind = try ModelArgs.choice(args[5], "fit: optimizer", [("adamw", OptimizerKind.adamw), ("adam", .adam), ("sgd", .sgd)])
            config = OptimizerConfig(kind: kind, lr: lr, weightDecay: try ModelArgs.optionalDouble(args[6], "fit: weight_decay"))
            config.clipNorm = try ModelArgs.optionalDouble(args[9], "fit: clip")
            config.schedule = try OptimizerBuiltins.schedule(args[8], warmup: args[7], total: total, "fit")
        }
        let options = TrainOptions(epochs: epochs, batchSize: batch, seed: try ModelArgs.seed(args[10], "fit: seed"),
                                   shuffle: try ModelArgs.bool(args[11], "fit: shuffle"), optimizer: config, maxSteps: maxSteps,
                                   evalEvery: try ModelArgs.int(args[14], "fit: eval_every", min: 0))
        let evalFn: Value? = args[13].isNil ? nil : try args.callable(13)
        let showProgress = try ModelArgs.bool(args[15], "fit: progress")
        let sink: ProgressSink? = showProgress ? frontend.progressSink(label: "fit", total: 0, unit: "step") : nil

        var epochOfStep: [Int] = []
        var evals: [Value] = []
        var hooks = TrainHooks(progress: { p in
            epochOfStep.append(p.epoch)
            sink?.update(done: p.step, total: p.totalSteps, fields: [
                ("epoch", "\(p.epoch)/\(epochs)"), ("loss", ModelArgs.fixed(Double(p.loss))), ("tok/s", "\(Int(p.tokensPerSecond))"),
            ])
        })
        var callbackError: NativeError? = nil
        if let f = evalFn {
            hooks.evaluate = { step, epoch, _ in
                do throws(NativeError) { evals.append(try ctx.call(f, [.number(Double(step)), .number(Double(epoch))])) } catch {
                    callbackError = error
                    throw error
                }
            }
        }
        do {
            let r = try m.fit(sequences: seqs, options: options, optimizer: given, hooks: hooks)
            var fields: [(String, String)] = [("epochs", "\(r.epochsCompleted)")]
            if let l = r.finalLoss { fields.append(("final loss", ModelArgs.fixed(Double(l)))) }
            if r.interrupted { fields.append(("interrupted", "yes")) }
            sink?.finish(fields: fields)
            return .object(TrainResultValue(r, epochOfStep: epochOfStep, evals: evals))
        } catch {
            sink?.finish()
            if let e = callbackError { throw e }
            throw ModelErrors.native(error, "fit")
        }
    }
}
