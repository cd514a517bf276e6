/// Stores into value-stack and global slots that skip the release of the old value when
/// it holds no reference (nil, booleans, numbers: the common case in loops and frames).
extension Value {
    /// True for values without a reference to release (nil, booleans, numbers).
    @inline(__always)
    var isTrivial: Bool {
        switch self {
        case .null, .bool, .number: true
        default: false
        }
    }
}

extension UnsafeMutablePointer where Pointee == Value {
    /// Replaces the slot's value; the old one is only destroyed when it holds a reference.
    @inline(__always)
    func put(_ v: consuming Value) {
        if pointee.isTrivial { initialize(to: v) } else { pointee = v }
    }

    /// Stores a number (the loop-variable and arithmetic-assignment fast path).
    @inline(__always)
    func putNumber(_ d: Double) {
        if pointee.isTrivial { initialize(to: .number(d)) } else { pointee = .number(d) }
    }

    /// Fills a slot that is known to hold `nil` (frame slots above `sp` are always cleared).
    @inline(__always)
    func fill(_ v: consuming Value) {
        assert(pointee.isNil, "frame slot not cleared")
        initialize(to: v)
    }
}
