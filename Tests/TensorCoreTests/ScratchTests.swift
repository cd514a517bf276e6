import Foundation
import Testing
@testable import TensorCore

@Test("a thread reuses its own scratch buffer; a nested caller gets another, as large as asked")
func threadScratchIsPerThreadAndNestable() {
    let pool = ScratchPool()
    let first = pool.with(100) { UInt(bitPattern: $0) }
    let again = pool.with(50) { UInt(bitPattern: $0) }
    #expect(first == again)
    pool.with(100) { outer in
        pool.with(1 << 18) { inner in
            #expect(inner != outer)
            inner[(1 << 18) - 1] = 1   // the nested buffer really holds what was asked
            outer[99] = 2
            #expect(inner[(1 << 18) - 1] == 1 && outer[99] == 2)
        }
    }
    // Another thread gets a buffer of its own.
    nonisolated(unsafe) var other: UInt = 0
    let done = DispatchSemaphore(value: 0)
    let t = Thread {
        other = pool.with(100) { UInt(bitPattern: $0) }
        done.signal()
    }
    t.start()
    done.wait()
    #expect(other != 0 && other != first)
}
