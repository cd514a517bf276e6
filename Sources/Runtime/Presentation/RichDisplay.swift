import Display
import Language

/// A native value with a form for reports: an SVG figure, an HTML fragment or a table.
///
/// `NativeObject.display` stays the terminal form (REPL echo, `print`); a notebook report
/// asks for `richOutput` when the value is a cell's last expression or is passed to
/// `show(x)`. Figures give `.svg`, tables and tensors `.table`, token views `.html`.
/// Fragments must be built by the Display library or escaped with `Markup.escape`.
public protocol RichDisplay: NativeObject {
    func richOutput(_ ctx: DisplayContext) -> ReportOutput
    /// Everything the value shows in a report, in order (e.g. a summary card, then a
    /// chart of its curves); by default just `richOutput`.
    func richOutputs(_ ctx: DisplayContext) -> [ReportOutput]
}

extension RichDisplay {
    public func richOutputs(_ ctx: DisplayContext) -> [ReportOutput] { [richOutput(ctx)] }
}

/// The colour mode for a terminal display: the caller decides whether colour is wanted
/// (`DisplayContext.color`, set when stdout is a terminal and `NO_COLOR` is unset);
/// `COLORTERM` picks 24-bit or 256 colours.
enum TerminalStyle {
    static func mode(_ ctx: DisplayContext, environment: [String: String] = ProcessEnvironment.current) -> ColorMode {
        ColorMode.detect(isTerminal: ctx.color, environment: environment)
    }

    /// Width for charts: the display width, kept between 40 and 120 columns.
    static func chartWidth(_ ctx: DisplayContext) -> Int { min(120, max(40, ctx.width)) }
}
