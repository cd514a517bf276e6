import NN

/// An error of the CKL protocol layer: a bad setting, a model or training failure, a data
/// problem, or a pretraining run that did not reach its target.
public enum CKLError: Error, CustomStringConvertible, Sendable {
    /// A setting that cannot work (unknown method name, negative epochs, ...).
    case invalidConfiguration(String)
    /// A failure of the model layer (shapes, tokens, a non-finite loss, ...).
    case model(NNError)
    /// A failure of the data layer.
    case data(CKLDataError)
    /// Text whose tokens cannot be aligned with its characters.
    case alignment(String)
    /// Pretraining stopped at its epoch cap before the retention probes reached the target.
    case pretrainingTargetMissed(target: Double, best: Double, epochs: Int)

    public var description: String {
        switch self {
        case .invalidConfiguration(let m): return "invalid CKL setting: \(m)"
        case .model(let e): return e.description
        case .data(let e): return e.description
        case .alignment(let m): return "token alignment: \(m)"
        case let .pretrainingTargetMissed(target, best, epochs):
            return "pretraining did not reach NOT-TO-FORGET accuracy \(target) within \(epochs) epochs (best \(String(format3: best))); "
                + "raise the epoch cap, the learning rate or the model size"
        }
    }
}

/// Runs model-layer code, wrapping its error.
@inline(__always)
func model<T>(_ body: () throws(NNError) -> T) throws(CKLError) -> T {
    do { return try body() } catch { throw .model(error) }
}

extension String {
    /// A number with three decimals ("0.389").
    init(format3 x: Double) {
        guard x.isFinite else { self = "\(x)"; return }
        let scaled = (x * 1000).rounded()
        let sign = scaled < 0 ? "-" : ""
        let v = Int(Swift.abs(scaled))
        let frac = String(v % 1000)
        self = sign + String(v / 1000) + "." + String(repeating: "0", count: 3 - frac.count) + frac
    }
}
