@preconcurrency import CReadline
import Foundation
import Glibc

/// Persistent history: `~/.taalm_history`, or `$TAALM_HISTORY` (empty: no file).
///
/// One entry per line, with `\` written as `\\` and a newline as `\n`, so a multi-line
/// cell comes back as ONE entry after a restart (readline's own timestamp format would
/// misread a cell line that starts with `#` and a digit). Each entry is appended as soon
/// as it is entered, so a crash or a kill loses nothing and two sessions interleave
/// instead of overwriting each other. The file is compacted to the last `limit` entries
/// when it grows past twice that.
final class History {
    let path: String?
    let limit: Int
    private var last: String?

    init(environment: [String: String] = ProcessInfo.processInfo.environment, limit: Int = 1000) {
        if let custom = environment["TAALM_HISTORY"] {
            path = custom.isEmpty ? nil : custom
        } else if let home = environment["HOME"], !home.isEmpty {
            path = home + "/.taalm_history"
        } else {
            path = nil
        }
        self.limit = limit
    }

    func load() {
        stifle_history(Int32(limit))
        guard let path, let data = FileManager.default.contents(atPath: path) else { return }
        let entries = String(decoding: data, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: true)
            .map { Self.decode($0) }
        for entry in entries.suffix(limit) { add_history(entry) }
        last = entries.last
        if entries.count > 2 * limit { rewrite(Array(entries.suffix(limit))) }
    }

    /// Records one submitted cell or command (consecutive duplicates and blanks skipped).
    func add(_ entry: String) {
        guard !entry.allSatisfy(\.isWhitespace), entry != last else { return }
        last = entry
        add_history(entry)
        using_history()
        guard let path else { return }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let line = Self.encode(entry) + "\n"
        _ = line.withCString { write(fd, $0, strlen($0)) }
    }

    private func rewrite(_ entries: [String]) {
        guard let path else { return }
        let text = entries.map { Self.encode($0) + "\n" }.joined()
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func encode(_ entry: String) -> String {
        var out = String.UnicodeScalarView()
        for c in entry.unicodeScalars {
            switch c {
            case "\\": out.append(contentsOf: "\\\\".unicodeScalars)
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            default: out.append(c)
            }
        }
        return String(out)
    }

    static func decode(_ line: Substring) -> String {
        var out = String.UnicodeScalarView()
        var escaped = false
        for c in line.unicodeScalars {
            if escaped {
                switch c {
                case "n": out.append("\n")
                case "r": out.append("\r")
                default: out.append(c)
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        if escaped { out.append("\\") }
        return String(out)
    }
}
