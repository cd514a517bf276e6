import Foundation
import NN

/// The progress display of `fit`, on stderr: on a terminal one line redrawn with `\r`
/// (step, epoch, loss, tokens/s, ETA), at most ten times a second; otherwise nothing
/// until the end, then a one-line summary. Everything about rendering progress is in this
/// type, so the notebooks' shared progress service can replace it in one place.
struct FitProgress {
    let enabled: Bool
    let terminal: Bool
    let epochs: Int
    private var lastDraw: Double = -1
    private var lastWidth = 0
    private let start = Date()

    init(enabled: Bool, epochs: Int, terminal: Bool = isatty(2) == 1) {
        self.enabled = enabled
        self.epochs = epochs
        self.terminal = terminal
    }

    mutating func update(_ p: TrainProgress) {
        guard enabled, terminal else { return }
        let now = Date().timeIntervalSince(start)
        guard now - lastDraw >= 0.1 || p.step == p.totalSteps else { return }
        lastDraw = now
        let rate = Double(p.step) / Swift.max(now, 1e-9)
        let eta = Double(p.totalSteps - p.step) / Swift.max(rate, 1e-9)
        let line = "fit: step \(p.step)/\(p.totalSteps)  epoch \(p.epoch)/\(epochs)  loss \(ModelArgs.fixed(Double(p.loss)))  "
            + "\(Int(p.tokensPerSecond)) tok/s  \(ModelArgs.fixed(rate, 1)) steps/s  ETA \(Self.duration(eta))"
        let pad = String(repeating: " ", count: Swift.max(0, lastWidth - line.count))
        lastWidth = line.count
        Self.write("\r" + line + pad)
    }

    /// Ends the display: a newline after a terminal line, or the one-line summary.
    mutating func finish(_ r: TrainResult?, error: Bool = false) {
        guard enabled else { return }
        if terminal {
            if lastWidth > 0 { Self.write("\n") }
        } else if let r, !error {
            var s = "fit: \(r.steps) steps, \(r.epochsCompleted) epochs, \(ModelArgs.fixed(r.seconds, 1)) s"
            if let l = r.finalLoss { s += ", final loss \(ModelArgs.fixed(Double(l)))" }
            if r.interrupted { s += " (interrupted)" }
            Self.write(s + "\n")
        }
        lastWidth = 0
    }

    static func duration(_ s: Double) -> String {
        guard s.isFinite else { return "?" }
        let t = Int(s.rounded())
        return t >= 60 ? "\(t / 60)m\(String(format: "%02d", t % 60))s" : "\(t)s"
    }

    static func write(_ s: String) {
        FileHandle.standardError.write(Data(s.utf8))
    }
}
