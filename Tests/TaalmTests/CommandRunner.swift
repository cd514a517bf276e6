import Foundation

/// What a run of the `taalm` binary gave back.
struct CommandRun {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the built `taalm` binary with `arguments` and `input` on stdin (a pipe, so not a
/// terminal), in `folder` when given. The test process's environment is passed on with
/// NO_COLOR set and `environment` on top. Output must stay small: it is read to the end.
func runTaalm(_ arguments: [String], input: String = "", in folder: String? = nil,
              environment: [String: String] = [:]) throws -> CommandRun {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: REPLHarness.binary ?? "taalm")
    process.arguments = arguments
    if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
    process.environment = ProcessInfo.processInfo.environment.merging(["NO_COLOR": "1"]) { $1 }.merging(environment) { $1 }
    let stdin = Pipe(), out = Pipe(), err = Pipe()
    process.standardInput = stdin
    process.standardOutput = out
    process.standardError = err
    try process.run()
    stdin.fileHandleForWriting.write(input.data(using: .utf8) ?? Data())
    try stdin.fileHandleForWriting.close()
    // Read stderr on another thread so neither pipe fills up.
    final class Box: @unchecked Sendable { var data = Data() }
    let errBox = Box()
    let reader = Thread { errBox.data = err.fileHandleForReading.readDataToEndOfFile() }
    reader.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !reader.isFinished { Thread.sleep(forTimeInterval: 0.01) }
    return CommandRun(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errBox.data, as: UTF8.self))
}
