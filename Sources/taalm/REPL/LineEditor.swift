@preconcurrency import CReadline
import Glibc
import Interrupts

/// What one prompt produced.
enum LineEvent: Equatable {
    /// The accepted line. A bracketed paste arrives as ONE line that may hold newlines.
    case line(String)
    /// Ctrl-C at the prompt: the line was abandoned.
    case interrupted
    /// Ctrl-D on an empty line, or stdin closed.
    case endOfInput
}

/// GNU readline through its callback interface.
///
/// Why callbacks rather than `readline()`: with `rl_catch_signals = 0` readline leaves
/// SIGINT to us, and our own `poll` loop waits on stdin *and* the signal self-pipe, so a
/// Ctrl-C at the prompt clears the line with ordinary calls, outside any signal handler.
/// The terminal is in readline's raw mode only while a prompt is up; while a cell runs
/// it is back in cooked mode, so Ctrl-C raises SIGINT and reaches `Interrupt`.
final class LineEditor {
    init(completer: Completer) {
        activeCompleter = completer
        rl_readline_name = UnsafePointer(strdup("taalm"))
        rl_catch_signals = 0
        rl_catch_sigwinch = 0
        rl_change_environment = 0
        rl_attempted_completion_function = attemptCompletion
        // Readline keeps these pointers: they must outlive every call (never freed).
        rl_completer_word_break_characters = UnsafePointer(strdup(Completer.wordBreakCharacters))
        rl_basic_word_break_characters = rl_completer_word_break_characters
        rl_completion_word_break_hook = wordBreakHook
    }

    func read(prompt: String) -> LineEvent {
        if SignalHandling.resized.exchange(false, ordering: .relaxed) { rl_reset_screen_size() }
        received = nil
        SignalHandling.catchSuspend()
        defer { SignalHandling.releaseSuspend() }
        rl_callback_handler_install(prompt, lineHandler)
        let wakeFD = SignalHandling.wakeRead.load(ordering: .relaxed)
        while received == nil {
            var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, nfds_t(wakeFD >= 0 ? 2 : 1), -1)
            if ready < 0 {
                if errno == EINTR { continue }
                abandonLine()
                return .endOfInput
            }
            if wakeFD >= 0 && fds[1].revents != 0 {
                drain(wakeFD)
                if SignalHandling.resized.exchange(false, ordering: .relaxed) { rl_resize_terminal() }
                if SignalHandling.suspendRequested.exchange(false, ordering: .relaxed) { suspend() }
                if Interrupt.take() {
                    abandonLine()
                    return .interrupted
                }
            }
            let input = fds[0].revents
            if input & Int16(POLLNVAL) != 0 {
                abandonLine()
                return .endOfInput
            }
            if input & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                rl_callback_read_char()
            }
        }
        return received ?? .endOfInput
    }

    /// Leaves the current line as typed on screen, marks it `^C`, and resets readline.
    private func abandonLine() {
        rl_point = rl_end
        rl_redisplay()
        // Before the clean-up: leaving raw mode ends bracketed paste with "ESC[?2004l\r",
        // which returns the cursor to column 0.
        StandardStreams.out("^C")
        StandardStreams.flush()
        rl_free_line_state()
        rl_callback_sigcleanup()
        rl_cleanup_after_signal()
        rl_callback_handler_remove()
        StandardStreams.out("\n")
        StandardStreams.flush()
    }

    /// Ctrl-Z at the prompt: give the shell a cooked terminal, stop, and after `fg`
    /// take raw mode back and redraw the prompt with the line as it was.
    private func suspend() {
        rl_cleanup_after_signal()
        StandardStreams.out("\n")
        StandardStreams.flush()
        SignalHandling.stopProcess()
        rl_reset_after_signal()
        rl_forced_update_display()
    }

    private func drain(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64)
        while Glibc.read(fd, &buffer, buffer.count) > 0 {}
    }
}

/// Set by `lineHandler`, read by `LineEditor.read` (all on the main thread; readline
/// callbacks carry no context pointer, hence a global).
private nonisolated(unsafe) var received: LineEvent?

private let lineHandler: @convention(c) (UnsafeMutablePointer<CChar>?) -> Void = { line in
    if let line {
        received = .line(String(cString: line))
        free(line)
    } else {
        received = .endOfInput
    }
    rl_callback_handler_remove()
}
