import Foundation

/// Runs the built `taalm` binary in `folder` (its output must stay small: stderr is read
/// to the end first). `environment` adds to (or overrides) the test process's variables.
func runTaalm(_ arguments: [String], in folder: String, environment: [String: String] = [:]) throws -> (status: Int32, stderr: String, stdout: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: REPLHarness.binary ?? "taalm")
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let err = Pipe(), out = Pipe()
    process.standardError = err
    process.standardOutput = out
    try process.run()
    let data = err.fileHandleForReading.readDataToEndOfFile()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self), String(decoding: outData, as: UTF8.self))
}
