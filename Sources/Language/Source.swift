/// One piece of taalm source text (a file, a REPL cell, a `-e` expression) with a line
/// table, so byte offsets kept in tokens and compiled code turn into `line:col` only
/// when a diagnostic is rendered.
public final class Source: Sendable {
    public let name: String
    public let text: String
    let bytes: [UInt8]
    let lineStarts: [Int]

    public init(name: String, text: String) {
        self.name = name
        self.text = text
        let bytes = Array(text.utf8)
        self.bytes = bytes
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        self.lineStarts = starts
    }

    /// 1-based line of a byte offset.
    func line(of offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo + 1
    }

    /// The text of a 1-based line, without its newline.
    func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// The location of a byte offset; columns count characters, starting at 1.
    public func location(_ offset: Int) -> SourceLocation {
        let clamped = min(max(0, offset), bytes.count)
        let line = line(of: clamped)
        let start = lineStarts[line - 1]
        let column = String(decoding: bytes[start..<clamped], as: UTF8.self).count + 1
        return SourceLocation(file: name, line: line, column: column, lineText: lineText(line))
    }
}

/// A position inside compiled code: cheap to keep (a reference and an offset), turned
/// into a `SourceLocation` only when an error is reported.
struct Loc {
    let source: Source
    let offset: Int
    var location: SourceLocation { source.location(offset) }
}
