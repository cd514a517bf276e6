import Interrupts

/// Compiled code: every expression and statement becomes one of these closures.
/// `Frame` points at slot 0 of the running function's frame on the value stack
/// (slot 0 holds the callee, parameters follow).
typealias Frame = UnsafeMutablePointer<Value>
typealias Code = (Machine, Frame) throws(Unwind) -> Value
typealias Cond = (Machine, Frame) throws(Unwind) -> Bool

/// Non-local exits. Errors are boxed so throwing stays cheap.
enum Unwind: Error {
    case failure(RuntimeFailure)
    case breakLoop
    case continueLoop
    /// `return`: the value waits in `Machine.returnValue`.
    case returned
}

/// A runtime error on its way out: message, origin, and the taalm frames it crosses.
final class RuntimeFailure: @unchecked Sendable {
    let kind: TaalmError.Kind
    let message: String
    let hint: String?
    var location: SourceLocation?
    /// Where the error currently is, inside the function being unwound.
    var current: Loc?
    var inner: [TraceFrame] = []
    var outer: [TraceFrame] = []
    var omitted = 0
    /// A whole error from another unit (an imported file that failed to compile).
    var embedded: TaalmError?

    init(_ message: String, hint: String? = nil, at loc: Loc?) {
        self.kind = .runtime; self.message = message; self.hint = hint
        self.location = loc?.location; self.current = loc
    }
    init(interruptedAt loc: Loc?) {
        self.kind = .interrupted; self.message = "interrupted"; self.hint = nil
        self.location = loc?.location; self.current = loc
    }

    /// The error leaves function `name` through a call at `callSite`.
    func leave(_ name: String, callSite: Loc?) {
        if let current {
            let frame = TraceFrame(function: name, location: current.location)
            if inner.count < TaalmErrorLimits.innerFrames { inner.append(frame) } else {
                outer.append(frame)
                if outer.count > TaalmErrorLimits.outerFrames { outer.removeFirst(); omitted += 1 }
            }
        }
        if location == nil { location = callSite?.location }
        current = callSite ?? current
    }

    /// The error crosses a native function on its way out (no frame of its own).
    func passThroughNative(callSite: Loc?) {
        if location == nil { location = callSite?.location }
        if let callSite { current = callSite }
    }

    /// The finished error, once it reached the top level of the unit.
    func taalmError() -> TaalmError {
        if !inner.isEmpty { leave("<top level>", callSite: nil) }
        let d = Diagnostic(message: message, hint: hint, location: location)
        // Merge runs of identical frames; frames left out between two equal ones join the run.
        var merged: [TraceFrame] = []
        var omitted = self.omitted
        let all = inner + outer
        for (i, frame) in all.enumerated() {
            if i == inner.count, omitted > 0, let last = merged.last, last.function == frame.function, last.location == frame.location {
                merged[merged.count - 1].count += omitted
                omitted = 0
            }
            if let last = merged.last, last.function == frame.function, last.location == frame.location {
                merged[merged.count - 1].count += 1
            } else {
                merged.append(frame)
            }
        }
        if omitted > 0 {
            // Keep the gap visible: the renderer prints it before the outer frames.
            return TaalmError(kind: kind, diagnostics: [d], trace: merged, omittedFrames: omitted)
        }
        return TaalmError(kind: kind, diagnostics: [d], trace: merged, omittedFrames: 0)
    }
}

@inline(never)
func fail(_ message: String, hint: String? = nil, at loc: Loc?) -> Unwind {
    .failure(RuntimeFailure(message, hint: hint, at: loc))
}

/// Global variables by index (the resolver turns names into indices).
final class Globals {
    static let capacity = 1 << 16
    /// Every write goes through `set` (or `numberSlot`), so a function that a call site
    /// borrowed from a global is retired, not freed, when its global is overwritten.
    private let storage: UnsafeMutablePointer<Value>
    /// Read-only view of the values.
    var values: UnsafePointer<Value> { UnsafePointer(storage) }
    let defined: UnsafeMutablePointer<Bool>
    let isConst: UnsafeMutablePointer<Bool>
    private(set) var names: [String] = []
    private var index: [String: Int] = [:]
    var docs: [Int: String] = [:]

    init() {
        // Slots are initialized when a name claims them (see `slot`).
        storage = .allocate(capacity: Globals.capacity)
        defined = .allocate(capacity: Globals.capacity)
        isConst = .allocate(capacity: Globals.capacity)
    }
    deinit {
        storage.deinitialize(count: names.count); storage.deallocate()
        defined.deallocate(); isConst.deallocate()
    }

    var count: Int { names.count }

    /// Stores into global `i`. A function running on a reference borrowed from a global
    /// (see `Machine.callBorrowed1`) is retired instead of released.
    @inline(__always)
    func set(_ i: Int, _ v: consuming Value) {
        let p = storage + i
        if p.pointee.isTrivial { p.initialize(to: v); return }
        if case .function(let old) = p.pointee, old.borrowers > 0 { old.retire() }
        p.pointee = v
    }

    /// Global `i`'s slot, only for overwriting a number with a number (nothing to release or retire).
    @inline(__always)
    func numberSlot(_ i: Int) -> UnsafeMutablePointer<Value> { storage + i }

    func lookup(_ name: String) -> Int? { index[name] }

    /// The index of `name`, created on first use; nil when the table is full.
    func slot(_ name: String) -> Int? {
        if let i = index[name] { return i }
        guard names.count < Globals.capacity else { return nil }
        let i = names.count
        (storage + i).initialize(to: .null)
        (defined + i).initialize(to: false)
        (isConst + i).initialize(to: false)
        index[name] = i
        names.append(name)
        return names.count - 1
    }

    func define(_ name: String, _ value: Value, constant: Bool, doc: String? = nil) {
        guard let i = slot(name) else { return }
        set(i, value); defined[i] = true; isConst[i] = constant
        if let doc { docs[i] = doc }
    }

    func value(_ name: String) -> Value? {
        guard let i = index[name], defined[i] else { return nil }
        return values[i]
    }

    /// Forgets names from `count` on, restoring the saved values below it.
    func restore(_ snapshot: Snapshot) {
        for i in 0..<names.count {
            if i < snapshot.values.count {
                set(i, snapshot.values[i]); defined[i] = snapshot.defined[i]; isConst[i] = snapshot.isConst[i]
            } else {
                set(i, .null); defined[i] = false; isConst[i] = false
            }
        }
        docs = snapshot.docs
    }

    struct Snapshot {
        var values: [Value], defined: [Bool], isConst: [Bool], docs: [Int: String]
    }
    func snapshot() -> Snapshot {
        let n = names.count
        return Snapshot(values: (0..<n).map { values[$0] }, defined: (0..<n).map { defined[$0] },
                        isConst: (0..<n).map { isConst[$0] }, docs: docs)
    }
}

/// The evaluator's state: value stack, cell stack (captured variables), globals, limits.
final class Machine {
    static let stackCapacity = 1 << 20
    let stack: Frame
    let cells: UnsafeMutablePointer<Cell?>
    let globals: Globals
    var sp = 0
    var depth = 0
    var budget = Int.max
    var returnValue: Value = .null
    var config: InterpreterConfig { didSet { maxDepth = config.maxRecursionDepth } }
    private var maxDepth: Int
    var write: (String) -> Void = { _ in }
    /// Lowest address the Swift stack may reach before calls fail (0 = unchecked).
    var stackFloor: UInt = 0
    weak var interpreter: Interpreter?

    init(config: InterpreterConfig, globals: Globals) {
        self.config = config
        self.maxDepth = config.maxRecursionDepth
        self.globals = globals
        stack = .allocate(capacity: Machine.stackCapacity)
        cells = .allocate(capacity: Machine.stackCapacity)
        _ = grow(to: 4096)
    }
    deinit {
        stack.deinitialize(count: initialized); stack.deallocate()
        cells.deinitialize(count: initialized); cells.deallocate()
    }

    /// Slots below this index are initialized memory (the stack is prepared in chunks so
    /// start-up does not touch the whole reservation).
    private(set) var initialized = 0

    /// Initializes slots up to `top` (rounded up to a chunk); false when beyond capacity.
    @inline(never)
    func grow(to top: Int) -> Bool {
        guard top <= Machine.stackCapacity else { return false }
        let target = min(Machine.stackCapacity, max(top, initialized + 65536))
        (stack + initialized).initialize(repeating: .null, count: target - initialized)
        (cells + initialized).initialize(repeating: nil, count: target - initialized)
        initialized = target
        return true
    }

    var context: CallContext { CallContext(machine: self) }

    @inline(__always)
    func cell(_ f: Frame, _ slot: Int) -> Cell? { cells[f - stack + slot] }
    @inline(__always)
    func setCell(_ f: Frame, _ slot: Int, _ c: Cell?) { cells[f - stack + slot] = c }

    /// Ticks left before the next look at the Ctrl-C flag and the step budget, and the
    /// size of the current chunk of ticks (the atomic flag is not read on every tick).
    var countdown = 0
    var chunk = 0
    static let pollInterval = 256

    /// Starts a run with `budget` steps.
    func resetBudget(_ steps: Int) { budget = steps; countdown = 0; chunk = 0 }

    /// Back-edge and call poll: every `pollInterval` ticks, Ctrl-C and the step budget.
    @inline(__always)
    func tick(_ loc: Loc?) throws(Unwind) {
        countdown &-= 1
        if countdown < 0 { try slowTick(loc) }
    }

    @inline(never)
    func slowTick(_ loc: Loc?) throws(Unwind) {
        budget -= chunk - countdown
        chunk = 0; countdown = 0
        if config.handlesInterrupts, config.interruptFlag.take() { throw .failure(RuntimeFailure(interruptedAt: loc)) }
        if budget < 0 {
            budget = 0
            throw fail("step limit (\(config.stepLimit ?? 0)) exceeded", at: loc)
        }
        chunk = min(Machine.pollInterval, budget)
        countdown = chunk
    }

    /// Clears the frame's slots (and cells) so values die when the function returns.
    @inline(__always)
    func clear(_ f: Frame, _ size: Int, cells hasCells: Bool) {
        var i = 0
        while i < size { (f + i).put(.null); i += 1 }
        if hasCells {
            let c = cells + (f - stack)
            var k = 0
            while k < size { c[k] = nil; k += 1 }
        }
    }

    @inline(__always)
    func approximateStackPointer() -> UInt {
        var marker: UInt8 = 0
        return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
    }

    /// Enters a call: checks recursion depth, Swift stack room, value-stack room, the interrupt flag.
    @inline(__always)
    func enter(_ frameSize: Int, _ loc: Loc?) throws(Unwind) -> Frame {
        if depth >= maxDepth || sp + frameSize > initialized || approximateStackPointer() < stackFloor {
            guard depth < maxDepth, approximateStackPointer() >= stackFloor, grow(to: sp + frameSize) else {
                throw recursionError(loc)
            }
        }
        try tick(loc)
        let f = stack + sp
        sp += frameSize
        depth += 1
        return f
    }

    /// After a native call or a native object's operator (a matmul, a training run): a
    /// Ctrl-C pressed while it ran stops the cell here, before the next operation starts.
    /// (Kernels are never cut short: a half-written result could end up in a model.)
    @inline(__always)
    func pollAfterNative(_ loc: Loc?) throws(Unwind) {
        if config.handlesInterrupts, config.interruptFlag.isRequested, config.interruptFlag.take() {
            throw .failure(RuntimeFailure(interruptedAt: loc))
        }
    }

    @inline(never)
    func recursionError(_ loc: Loc?) -> Unwind {
        fail("recursion limit (\(config.maxRecursionDepth)) exceeded",
             hint: "a recursive function needs a base case that stops it", at: loc)
    }

    @inline(__always)
    func leave(_ f: Frame, _ proto: FunctionProto) {
        clear(f, proto.frameSize, cells: proto.hasCells)
        sp = f - stack
        depth -= 1
    }
}
