import Glibc
import Interrupts
import Synchronization

/// SIGINT and SIGWINCH for the REPL.
///
/// The handlers only touch atomics and `write(2)`, all async-signal-safe:
/// - SIGINT sets `Interrupt` (the running cell's evaluator or native loop polls it and
///   raises an ordinary "interrupted" error, so bindings survive) and writes a byte to a
///   self-pipe, which wakes the prompt's `poll` even when the kernel delivers the signal
///   to another thread. At the prompt the line editor sees the wake-up and clears the line.
/// - If a request has gone unanswered for 2 seconds and Ctrl-C has been pressed twice
///   more (the cell is stuck in code that never polls), the default action is restored
///   and the process ends: the way out of a hang, Lua-style, but never on a quick double
///   tap or a held key. History is saved per cell, so nothing typed is lost.
/// - SIGWINCH sets a flag; the line editor tells readline the new size.
/// - SIGTSTP (Ctrl-Z) is caught only while a prompt is up: it sets a flag, and the line
///   editor restores the terminal, stops the process, and redraws the line after `fg`.
///   While a cell runs the terminal is in cooked mode and Ctrl-Z stops as usual.
enum SignalHandling {
    /// Read end of the self-pipe (the line editor polls it) and write end (the handler writes).
    static let wakeRead = Atomic<Int32>(-1)
    static let wakeWrite = Atomic<Int32>(-1)
    /// Ctrl-C presses that arrived while an earlier request was still pending.
    static let unanswered = Atomic<Int>(0)
    /// When the pending request was made (CLOCK_MONOTONIC, nanoseconds).
    static let requestedAt = Atomic<Int64>(0)
    static let giveUpAfterNanoseconds: Int64 = 2_000_000_000
    static let resized = Atomic<Bool>(false)
    static let suspendRequested = Atomic<Bool>(false)
    /// A SIGINT arrived since the last `resetForNextStep` (the terminal echoed `^C`).
    static let interruptedThisStep = Atomic<Bool>(false)

    private nonisolated(unsafe) static var saved: (int: sigaction, winch: sigaction)?

    static func install() {
        // Touch every static the handlers use, so their lazy initialisation happens
        // here and never inside a handler.
        Interrupt.clear()
        unanswered.store(0, ordering: .relaxed)
        requestedAt.store(0, ordering: .relaxed)
        resized.store(false, ordering: .relaxed)
        suspendRequested.store(false, ordering: .relaxed)
        interruptedThisStep.store(false, ordering: .relaxed)
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
            wakeRead.store(fds[0], ordering: .relaxed)
            wakeWrite.store(fds[1], ordering: .relaxed)
        }
        var oldInt = sigaction(), oldWinch = sigaction()
        var onInt = sigaction()
        onInt.__sigaction_handler.sa_handler = handleInterrupt
        onInt.sa_flags = SA_RESTART
        sigemptyset(&onInt.sa_mask)
        sigaction(SIGINT, &onInt, &oldInt)
        var onWinch = sigaction()
        onWinch.__sigaction_handler.sa_handler = handleResize
        onWinch.sa_flags = SA_RESTART
        sigemptyset(&onWinch.sa_mask)
        sigaction(SIGWINCH, &onWinch, &oldWinch)
        saved = (oldInt, oldWinch)
    }

    static func uninstall() {
        if var s = saved {
            sigaction(SIGINT, &s.int, nil)
            sigaction(SIGWINCH, &s.winch, nil)
            saved = nil
        }
        let ends = (wakeRead.exchange(-1, ordering: .relaxed), wakeWrite.exchange(-1, ordering: .relaxed))
        if ends.0 >= 0 { close(ends.0) }
        if ends.1 >= 0 { close(ends.1) }
    }

    /// Ctrl-Z at the prompt: caught (see `suspendRequested`) from here to `releaseSuspend`.
    static func catchSuspend() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handleSuspend
        action.sa_flags = SA_RESTART
        sigemptyset(&action.sa_mask)
        sigaction(SIGTSTP, &action, nil)
    }

    static func releaseSuspend() { signal(SIGTSTP, SIG_DFL) }

    /// Stops the process now, as the default SIGTSTP action would (ordinary context).
    static func stopProcess() {
        releaseSuspend()
        raise(SIGTSTP)  // returns after `fg`
        catchSuspend()
    }

    /// Forgets stale wake-ups and requests (called before each prompt and each cell).
    static func resetForNextStep() {
        let fd = wakeRead.load(ordering: .relaxed)
        if fd >= 0 {
            var buf = [UInt8](repeating: 0, count: 64)
            while read(fd, &buf, buf.count) > 0 {}
        }
        Interrupt.clear()
        unanswered.store(0, ordering: .relaxed)
        interruptedThisStep.store(false, ordering: .relaxed)
    }
}

private func wake() {
    let fd = SignalHandling.wakeWrite.load(ordering: .relaxed)
    if fd >= 0 {
        var byte: UInt8 = 1
        _ = write(fd, &byte, 1)
    }
}

private let handleInterrupt: @convention(c) (Int32) -> Void = { _ in
    let savedErrno = errno
    SignalHandling.interruptedThisStep.store(true, ordering: .relaxed)
    let now = monotonicNanoseconds()
    if Interrupt.isRequested {
        let presses = SignalHandling.unanswered.add(1, ordering: .relaxed).newValue
        let waited = now - SignalHandling.requestedAt.load(ordering: .relaxed)
        if presses >= 2 && waited >= SignalHandling.giveUpAfterNanoseconds {
            let msg: StaticString = "\ntaalm: the running code does not answer Ctrl-C; quitting\n"
            _ = write(2, msg.utf8Start, msg.utf8CodeUnitCount)
            signal(SIGINT, SIG_DFL)
            raise(SIGINT)
        }
    } else {
        SignalHandling.unanswered.store(0, ordering: .relaxed)
        SignalHandling.requestedAt.store(now, ordering: .relaxed)
        Interrupt.request()
    }
    wake()
    errno = savedErrno
}

private let handleSuspend: @convention(c) (Int32) -> Void = { _ in
    let savedErrno = errno
    SignalHandling.suspendRequested.store(true, ordering: .relaxed)
    wake()
    errno = savedErrno
}

private let handleResize: @convention(c) (Int32) -> Void = { _ in
    let savedErrno = errno
    SignalHandling.resized.store(true, ordering: .relaxed)
    wake()
    errno = savedErrno
}

/// clock_gettime is async-signal-safe.
private func monotonicNanoseconds() -> Int64 {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec)
}
