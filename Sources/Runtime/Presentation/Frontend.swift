import Display
import Foundation
import Language

/// Where one interpreter's side channels go: rich displays (`show(x)`) and the progress
/// lines of long native loops. A terminal session uses the defaults (terminal text on the
/// interpreter's output, progress on stderr); the notebook runner collects both into the
/// cell being run.
public final class Frontend {
    /// Receives what `show(x)` displays; nil writes the value's terminal form to the
    /// interpreter's output instead.
    public var richOutput: ((ReportOutput) -> Void)?
    /// Where progress lines go.
    public var progress: ProgressOutput

    public init(richOutput: ((ReportOutput) -> Void)? = nil, progress: ProgressOutput = .standardError()) {
        self.richOutput = richOutput
        self.progress = progress
    }

    /// A progress line for a loop of `total` steps (0 when unknown). Call `update` after
    /// each step and `finish` once at the end (also when the loop stops early).
    /// Shows `view` now: its rich form in a notebook, its terminal drawing otherwise
    /// (what `show(view)` does; used by builtins that display as a side effect).
    func display(_ view: any RichDisplay, _ ctx: CallContext) {
        if let sink = richOutput {
            for o in view.richOutputs(ctx.displayContext) { sink(o) }
        } else {
            ctx.write(view.display(ctx.displayContext) + "\n")
        }
    }

    public func progressSink(label: String, total: Int, unit: String = "it") -> ProgressSink {
        ProgressSink(label: label, total: total, unit: unit, output: progress)
    }
}

/// What `show(x)` and a notebook cell's last value display: the rich form of a
/// `RichDisplay` value, otherwise its text.
enum RichForm {
    static func outputs(_ value: Value, _ ctx: DisplayContext, text: (Value) -> String) -> [ReportOutput] {
        if case .object(let o) = value, let rich = o as? any RichDisplay { return rich.richOutputs(ctx) }
        return [.text(text(value))]
    }
}
