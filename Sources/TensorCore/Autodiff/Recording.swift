#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The autodiff core's mode switches, one set per thread (tests and users may drive the
/// core from several threads; kernels fan out to worker threads but never record).
final class ADState {
    /// False inside a no-grad scope: nothing is recorded.
    var recording = true
    /// The active forward-mode level (0 = no `jvp` running).
    var forwardLevel = 0
    /// True while a JVP rule runs (its own ops need no tangents).
    var forwardSuspended = false
    /// How many reverse transforms (`grad`, `valueAndGrad`, `vjp`) are running.
    var transformDepth = 0
    /// How many backward passes are running (deferred work is only queued inside one).
    var backwardDepth = 0
    /// Background products this thread queued and has not yet waited for, with the
    /// storage each writes (`DeferredWork`).
    var deferred: [(job: DeferredJob, output: Storage)] = []
}

enum AD {
    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k) { p in
            if let p { Unmanaged<ADState>.fromOpaque(p).release() }
        }
        return k
    }()
    private static let levels = Atomic<Int>(1)

    /// This thread's state.
    @inline(__always)
    static var state: ADState {
        if let p = pthread_getspecific(key) { return Unmanaged<ADState>.fromOpaque(p).takeUnretainedValue() }
        let s = ADState()
        pthread_setspecific(key, Unmanaged.passRetained(s).toOpaque())
        return s
    }

    /// A fresh forward-mode level, unique across threads.
    static func newLevel() -> Int { levels.add(1, ordering: .relaxed).oldValue }

    static var recording: Bool { get { state.recording } set { state.recording = newValue } }
    static var forwardLevel: Int { get { state.forwardLevel } set { state.forwardLevel = newValue } }
    static var forwardSuspended: Bool { get { state.forwardSuspended } set { state.forwardSuspended = newValue } }
    static var transformDepth: Int { get { state.transformDepth } set { state.transformDepth = newValue } }
}

/// Applies a primitive: computes its value, records it for reverse mode when an input
/// requires gradients, and propagates the forward-mode tangent when a `jvp` is active.
@inline(__always)
func apply(_ p: some Primitive, _ inputs: [Tensor]) throws(TensorError) -> Tensor {
    let ad = AD.state
    if !ad.deferred.isEmpty { DeferredWork.waitIfPending(inputs, ad) }
    let y: Tensor
    if KernelProfile.enabled && KernelProfile.active {
        let t0 = KernelProfile.now
        y = try p.forward(inputs)
        KernelProfile.record("\(p.name) \(inputs.map { shapeString($0.shape) }.joined(separator: " "))", since: t0)
    } else {
        y = try p.forward(inputs)
    }
    if ad.recording {
        for x in inputs where x.requiresGrad {
            y.node = Node(p, inputs)
            break
        }
    }
    if ad.forwardLevel != 0 && !ad.forwardSuspended {
        try propagateTangent(p, inputs, y, ad)
    }
    return y
}

private func propagateTangent(_ p: some Primitive, _ inputs: [Tensor], _ y: Tensor, _ ad: ADState) throws(TensorError) {
    let level = ad.forwardLevel
    var tangents: [Tensor?] = []
    tangents.reserveCapacity(inputs.count)
    var any = false
    for x in inputs {
        if x.tangentLevel == level, let t = x.tangent {
            tangents.append(t)
            any = true
        } else {
            tangents.append(nil)
        }
    }
    guard any else { return }
    ad.forwardSuspended = true
    defer { ad.forwardSuspended = false }
    if let t = try p.jvp(inputs, y, tangents) {
        y.tangent = t
        y.tangentLevel = level
    }
}

extension Autodiff {
    /// Runs `body` with recording off: nothing inside builds a graph (inference, optimiser
    /// updates, evaluation). Nests; restores the previous mode.
    public static func withoutGrad<T>(_ body: () throws -> T) rethrows -> T {
        let saved = AD.recording
        AD.recording = false
        defer { AD.recording = saved }
        return try body()
    }

    /// True unless inside `withoutGrad`.
    public static var isRecording: Bool { AD.recording }
}
