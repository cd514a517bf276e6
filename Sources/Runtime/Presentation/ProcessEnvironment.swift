import Foundation

/// The process environment, read once per use (no global mutable state).
enum ProcessEnvironment {
    static var current: [String: String] { ProcessInfo.processInfo.environment }

    /// Whether `fd` is a terminal that can show redraws (`TERM=dumb` cannot).
    static func isTerminal(_ fd: Int32) -> Bool {
        isatty(fd) == 1 && current["TERM"] != "dumb"
    }

    /// Columns of the terminal on `fd`, nil when it is not a terminal or cannot be asked.
    static func columns(_ fd: Int32) -> Int? {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 20 else { return nil }
        return Int(size.ws_col)
    }
}
