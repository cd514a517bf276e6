import Display
import Language

/// A per-token view of a document (`weights_view`): each token on the colour of its
/// weight. One weighting is shown as running text (`TokenWeights`); several (a record of
/// weightings) token-aligned for comparison (`TokenComparison`). Terminal: coloured spans,
/// or values in superscript without colour; reports: HTML spans with hover values and a
/// legend.
public final class WeightsView: NativeObject, RichDisplay {
    public enum Content {
        case single(TokenWeights)
        case comparison(TokenComparison)
    }

    public let content: Content
    public init(_ content: Content) { self.content = content }

    public var typeName: String { "weights_view" }
    public var doc: String { "Tokens shown on the colour of their weight; made by weights_view(tokens, weights)." }
    public var memberNames: [String] { ["tokens", "html"] }

    public var shortSummary: String {
        switch content {
        case .single(let w): return plural(w.tokens.count, "token", "tokens")
        case .comparison(let c): return "\(plural(c.tokens.count, "token", "tokens")) × \(plural(c.rows.count, "weighting", "weightings"))"
        }
    }

    public func display(_ ctx: DisplayContext) -> String {
        let width = TerminalStyle.chartWidth(ctx), color = TerminalStyle.mode(ctx)
        let text: String
        switch content {
        case .single(let w): text = w.terminal(width: width, color: color)
        case .comparison(let c): text = c.terminal(width: width, color: color)
        }
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    public func html() -> String {
        switch content {
        case .single(let w): w.html()
        case .comparison(let c): c.html()
        }
    }

    public func richOutput(_ ctx: DisplayContext) -> ReportOutput { .html(html()) }

    public func member(_ name: String, _ ctx: CallContext) throws(NativeError) -> Value? {
        switch name {
        case "tokens":
            let tokens: [String]
            switch content {
            case .single(let w): tokens = w.tokens
            case .comparison(let c): tokens = c.tokens
            }
            return .makeList(tokens.map { .string($0) })
        case "html":
            return .native(NativeFunction("html", doc: "The view as an HTML fragment (a string).") { [self] _, _ throws(NativeError) in
                .string(html())
            })
        default: return nil
        }
    }
}

enum WeightsViewBuiltins {
    static var all: [NativeFunction] { [weightsViewFn] }

    static var weightsViewFn: NativeFunction {
        NativeFunction(
            "weights_view",
            doc: """
                Tokens on the colour of their weights (Train-Attention weights in [0, 1], or signed values such as \
                meta-gradients on a blue–red scale): weights_view(tokens, weights) with tokens a list of strings \
                (or a string, split at spaces) and weights a list or tensor, one per token. Compare several \
                weightings with a record: weights_view(tokens, {uniform: u, ta: w}). Options: label, \
                joiner ("" for byte-level BPE tokens that carry their own spaces), range ([low, high]: fixed colour scale).
                """,
            params: [Param("tokens"), Param("weights"), Param("label", default: .null), Param("joiner", default: .string(" ")),
                     Param("range", default: .null)]
        ) { args, _ throws(NativeError) in
            let tokens: [String]
            if case .string(let s) = args[0] {
                tokens = s.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            } else {
                tokens = try PlotData.strings(args[0], "weights_view: tokens")
            }
            guard !tokens.isEmpty else { throw NativeError("weights_view: there are no tokens to show") }
            let label = try PlotData.optionalString(args[2], "weights_view: label")
            let joiner = try args.string(3)
            let mapping = try PlotData.range(args[4], "weights_view: range").map { r in
                ColorMapping(scale: r.lowerBound < 0 ? .diverging : .sequential, lower: r.lowerBound, upper: r.upperBound)
            }
            func weights(_ v: Value, _ what: String) throws(NativeError) -> [Double] {
                let w = try PlotData.numbers(v, what)
                guard w.count == tokens.count else {
                    throw NativeError("\(what) has \(w.count) values but there are \(tokens.count) tokens",
                                      hint: "give one weight per token")
                }
                return w
            }
            if case .record(let r) = args[1] {
                var rows: [(label: String, values: [Double], mapping: ColorMapping?)] = []
                for (k, v) in zip(r.keys, r.values) { rows.append((k, try weights(v, "weights_view: '\(k)'"), mapping)) }
                guard !rows.isEmpty else { throw NativeError("weights_view: the record of weightings is empty") }
                return .object(WeightsView(.comparison(TokenComparison(title: label, tokens: tokens, weightings: rows, joiner: joiner))))
            }
            let w = try weights(args[1], "weights_view: weights")
            return .object(WeightsView(.single(TokenWeights(tokens: tokens, values: w, label: label, mapping: mapping, joiner: joiner))))
        }
    }
}
