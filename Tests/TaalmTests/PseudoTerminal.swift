import Foundation
import Glibc

/// Runs a program on a pseudo-terminal, as a user's shell would: the program is a session
/// leader whose controlling terminal is the pty, so `\u{03}` written to the master makes
/// the line discipline send SIGINT, and readline sees a real terminal.
///
/// Spawned with `posix_spawn` (POSIX_SPAWN_SETSID, then opening the slave makes it the
/// controlling terminal), not `fork`, which is unsafe in a multithreaded test process.
final class PseudoTerminal {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let pid: pid_t
    private let master: Int32
    private var raw: [UInt8] = []
    /// Where the next `expect` starts looking: a UTF-8 offset into `text`.
    private var cursor = 0
    private(set) var exitStatus: Int32?

    init(executable: String, environment: [String: String], columns: UInt16 = 100, rows: UInt16 = 30) throws {
        // posix_openpt/grantpt/unlockpt/ptsname and POSIX_SPAWN_SETSID sit behind
        // _XOPEN_SOURCE/_GNU_SOURCE, which Swift's Glibc module does not define: use
        // what they do on Linux (asm-generic ioctl numbers, the same on x86-64 and arm64).
        let TIOCGPTN: UInt = 0x8004_5430, TIOCSPTLCK: UInt = 0x4004_5431
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        var number: Int32 = 0, unlock: Int32 = 0
        guard master >= 0, ioctl(master, TIOCSPTLCK, &unlock) == 0, ioctl(master, TIOCGPTN, &number) == 0 else {
            throw Failure(description: "cannot open a pseudo-terminal: errno \(errno)")
        }
        let slaveName = "/dev/pts/\(number)"
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, slaveName, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var all = sigset_t(), none = sigset_t()
        sigfillset(&all)
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(0x80 /* POSIX_SPAWN_SETSID */ | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = [strdup(executable), nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard rc == 0 else {
            close(master)
            throw Failure(description: "posix_spawn \(executable) failed: \(rc)")
        }
        pid = child
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        close(master)
    }

    /// Everything the program wrote, with escape sequences and carriage returns removed.
    var text: String { Self.clean(raw) }

    func send(_ keys: String) {
        let bytes = Array(keys.utf8)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(master, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { return }
                offset += n
            }
        }
    }

    /// Waits until `needle` appears after the previous match; returns the text up to it.
    @discardableResult
    func expect(_ needle: String, timeout: Double = 10) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let current = text
            let start = current.utf8.index(current.startIndex, offsetBy: min(cursor, current.utf8.count))
            if let found = current.range(of: needle, range: start..<current.endIndex) {
                cursor = current.utf8.distance(from: current.startIndex, to: found.upperBound)
                return String(current[start..<found.lowerBound])
            }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 {
                throw Failure(description: "timed out after \(timeout)s waiting for \(needle.debugDescription); got:\n\(current)")
            }
            _ = pump(milliseconds: Int32(min(left, 0.2) * 1000) + 1)
        }
    }

    /// Reads whatever arrives within `seconds` (for checking that nothing else happened).
    func settle(_ seconds: Double = 0.3) {
        let deadline = Date().addingTimeInterval(seconds)
        while deadline.timeIntervalSinceNow > 0 { _ = pump(milliseconds: 50) }
    }

    /// The text after the last match, read so far.
    var rest: String {
        let current = text
        return String(current[current.utf8.index(current.startIndex, offsetBy: min(cursor, current.utf8.count))...])
    }

    /// Waits for the program to exit; returns its exit code (128+n if killed by signal n).
    func waitForExit(timeout: Double = 10) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while deadline.timeIntervalSinceNow > 0 {
            _ = pump(milliseconds: 20)
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                exitStatus = code
                return code
            }
        }
        throw Failure(description: "process did not exit within \(timeout)s; output:\n\(text)")
    }

    /// Reads available output; false when nothing came.
    private func pump(milliseconds: Int32) -> Bool {
        var fd = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&fd, 1, milliseconds) > 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = read(master, &buffer, buffer.count)
        guard n > 0 else {
            usleep(UInt32(milliseconds) * 1000)  // EIO once the child closed the slave
            return false
        }
        raw.append(contentsOf: buffer[..<n])
        return true
    }

    /// Drops CSI/OSC escape sequences (bracketed paste `ESC[?2004h`, colours, cursor
    /// moves) and `\r`, keeping the printable text.
    static func clean(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x1B, i + 1 < bytes.count {
                if bytes[i + 1] == UInt8(ascii: "[") {
                    i += 2
                    while i < bytes.count && !(0x40...0x7E).contains(bytes[i]) { i += 1 }
                    i += 1
                } else if bytes[i + 1] == UInt8(ascii: "]") {
                    i += 2
                    while i < bytes.count && bytes[i] != 0x07 { i += 1 }
                    i += 1
                } else {
                    i += 2
                }
                continue
            }
            if b != UInt8(ascii: "\r") && b != 0x07 && b != 0x08 { out.append(b) }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
