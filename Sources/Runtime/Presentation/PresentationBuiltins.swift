import Display
import Language

/// show(x) and with_progress(n, body): the builtins that reach the frontend.
enum PresentationBuiltins {
    static func all(_ state: RuntimeState) -> [NativeFunction] { [show(state), withProgress(state)] }

    static func show(_ state: RuntimeState) -> NativeFunction {
        NativeFunction(
            "show",
            doc: """
                Displays values now: in the terminal their drawing (figures, tables, token views), in a notebook \
                report their rich form (an inline SVG figure, an HTML table). show(fig) or show(a, b).
                """,
            variadic: true
        ) { args, ctx throws(NativeError) in
            for value in args.positional {
                if let sink = state.frontend.richOutput {
                    for o in RichForm.outputs(value, ctx.displayContext, text: { ctx.display($0) }) { sink(o) }
                } else if case .object(let o) = value {
                    ctx.write(o.display(ctx.displayContext) + "\n")
                } else {
                    ctx.write(ctx.display(value) + "\n")
                }
            }
            return .null
        }
    }

    static func withProgress(_ state: RuntimeState) -> NativeFunction {
        NativeFunction(
            "with_progress",
            doc: """
                Calls body(i) for i in 0..n-1 with a progress bar (rate and ETA on a terminal, one summary line \
                otherwise and in notebook reports) and returns the list of body's results. When body returns a \
                number it is shown as `value`, a record of numbers shows each field: \
                losses = with_progress(200, fn(i) { step(); loss }, label: "train").
                """,
            params: [Param("n"), Param("body"), Param("label", default: .string(""))]
        ) { args, ctx throws(NativeError) in
            let n = try args.int(0)
            guard n >= 0 else { throw NativeError("with_progress: n must be 0 or more, got \(n)") }
            guard n <= ctx.config.maxCollectionLength else {
                throw NativeError("with_progress: n = \(n) is more than the collection limit (\(ctx.config.maxCollectionLength))")
            }
            let body = try args.callable(1)
            let bar = state.frontend.progressSink(label: try args.string(2), total: n)
            defer { bar.finish() }
            var results: [Value] = []
            results.reserveCapacity(min(n, 1 << 16))
            for i in 0..<n {
                try ctx.checkInterrupt()
                let r = try ctx.call(body, [.number(Double(i))])
                results.append(r)
                bar.update(done: i + 1, fields: fields(r))
            }
            return .makeList(results)
        }
    }

    /// Progress fields for a step's result: a number as `value`, a record's numbers by name.
    static func fields(_ v: Value) -> [(String, String)] {
        func text(_ d: Double) -> String { NumberText.compact(d, significant: 4) }
        switch v {
        case .number(let d): return [("value", text(d))]
        case .record(let r):
            return zip(r.keys, r.values).compactMap { k, v in
                if let d = v.numberValue { return (k, text(d)) }
                if let t = TensorConvert.tensor(v), t.count == 1 { return (k, text(Double(t.scalars[0]))) }
                return nil
            }
        default:
            if let t = TensorConvert.tensor(v), t.count == 1 { return [("value", text(Double(t.scalars[0])))] }
            return []
        }
    }
}
