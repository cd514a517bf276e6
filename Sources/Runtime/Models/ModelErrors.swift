import Language
import NN
import TensorCore

/// NN errors as taalm errors: the NN message prefixed by the builtin or method that
/// raised it, with a hint saying what to try.
enum ModelErrors {
    static func native(_ e: NNError, _ name: String) -> NativeError {
        let hint: String?
        switch e {
        case .invalidConfig(let m):
            if m.contains("heads") { hint = "heads must divide dim, e.g. lm(tok, dim: 64, heads: 4)" }
            else if m.contains("context") { hint = "context is the longest sequence the model reads, e.g. context: 64" }
            else if m.contains("frozen") { hint = "unfreeze with m.unfreeze(), or train LoRA/adapters instead" }
            else { hint = nil }
        case .parameter:
            hint = "m.shapes lists every parameter path with its shape"
        case .invalidInput(let m):
            hint = m.contains("vocabulary") ? "token ids run from 0 to the tokenizer's vocab_size - 1" : nil
        case .tokenizer:
            hint = nil
        case .nonFiniteLoss, .nonFiniteGradient:
            hint = "lower lr, add clip: 1.0, or use warmup:"
        case .checkpoint(let m):
            hint = m.contains("no such file") ? "check the path; save(m, path) writes a checkpoint" : "the file may be truncated or was not written by taalm's save"
        case .tensor:
            hint = nil
        }
        if case .nonFiniteLoss(let step, let value) = e {
            let what = value.isNaN ? "NaN" : (value > 0 ? "infinite" : "-infinite")
            return NativeError("\(name): training stopped at step \(step): the loss became \(what); the model keeps the parameters from before that step", hint: hint)
        }
        if case .nonFiniteGradient(let step) = e {
            return NativeError("\(name): training stopped at step \(step): the gradients became NaN or infinite; the model keeps the parameters from before that step", hint: hint)
        }
        return NativeError("\(name): \(message(e))", hint: hint)
    }

    /// The NN message without its kind prefix ("parameter error: ..."): the builtin's name
    /// already says where it came from.
    static func message(_ e: NNError) -> String {
        switch e {
        case .invalidConfig(let m), .parameter(let m), .invalidInput(let m), .tokenizer(let m), .checkpoint(let m): return m
        default: return e.description
        }
    }

    /// Runs an NN call, turning its error into a taalm error naming `name`.
    static func run<T>(_ name: String, _ body: () throws(NNError) -> T) throws(NativeError) -> T {
        do { return try body() } catch { throw native(error, name) }
    }

    /// Like `run`, for bodies that may also throw taalm errors (callbacks) or tensor errors.
    static func any<T>(_ name: String, _ body: () throws -> T) throws(NativeError) -> T {
        do { return try body() } catch let e as NativeError { throw e } catch let e as NNError { throw native(e, name) } catch let e as TensorError {
            throw NativeError("\(name): \(e.op): \(e.message)")
        } catch {
            throw NativeError("\(name): \(error)")
        }
    }
}
