import Foundation

/// Where the package's files are, from this test file's own path.
enum PackagePaths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let examples = root.appendingPathComponent("examples")
}
