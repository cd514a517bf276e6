import TensorCore

/// An error from the NN layer: a bad configuration, a missing or mis-shaped parameter, an
/// unreadable checkpoint, a tokenizer problem, a training run that went wrong.
///
/// Every case carries a message written for the person at the prompt (what is wrong and,
/// where it helps, what to do); `description` is that message with its kind.
public enum NNError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A model, layer, optimizer or tokenizer configuration that cannot work.
    case invalidConfig(String)
    /// A parameter path that is missing, or present with the wrong shape.
    case parameter(String)
    /// Inputs of the wrong size or content (token ids out of range, empty batches, ...).
    case invalidInput(String)
    /// A tokenizer failure (unknown special token, bad vocabulary, ...).
    case tokenizer(String)
    /// The training loss became NaN or infinite; the model keeps the parameters it had
    /// before that step.
    case nonFiniteLoss(step: Int, value: Float)
    /// The gradients became NaN or infinite (the step was not applied).
    case nonFiniteGradient(step: Int)
    /// A checkpoint file that cannot be written, read or trusted.
    case checkpoint(String)
    /// An error from a tensor operation inside a layer.
    case tensor(TensorError)

    public var description: String {
        switch self {
        case .invalidConfig(let m): return "invalid configuration: \(m)"
        case .parameter(let m): return "parameter error: \(m)"
        case .invalidInput(let m): return "invalid input: \(m)"
        case .tokenizer(let m): return "tokenizer error: \(m)"
        case .nonFiniteLoss(let step, let value):
            return "training stopped: the loss became \(value) at step \(step); the model keeps the parameters from before that step (try a lower learning rate or gradient clipping)"
        case .nonFiniteGradient(let step):
            return "training stopped: the gradients became NaN or infinite at step \(step); the model keeps the parameters from before that step (try a lower learning rate or gradient clipping)"
        case .checkpoint(let m): return "checkpoint error: \(m)"
        case .tensor(let e): return e.description
        }
    }
}

/// Runs `body`, turning any thrown error into an `NNError` (tensor errors are wrapped,
/// NN errors pass through, anything else is reported by its description).
@inline(__always)
public func nn<T>(_ body: () throws -> T) throws(NNError) -> T {
    do { return try body() } catch let e as NNError { throw e } catch let e as TensorError { throw .tensor(e) } catch {
        throw .invalidInput(String(describing: error))
    }
}
