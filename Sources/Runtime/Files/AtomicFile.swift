import Foundation

/// Writes a whole file or nothing: the text goes to a temporary file in the same folder,
/// which is then renamed over the target, so a reader never sees half a figure and a
/// failed write leaves any previous file intact.
public enum AtomicFile {
    /// Why a write failed, in words a user can act on (`the folder 'out' does not exist`).
    public struct Failure: Error, Sendable {
        public var message: String
        public init(message: String) { self.message = message }
    }

    public static func write(_ text: String, to path: String) throws(Failure) {
        guard !path.isEmpty else { throw Failure(message: "the path is empty") }
        let folder = (path as NSString).deletingLastPathComponent
        var isDir: ObjCBool = false
        if !folder.isEmpty {
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir) else {
                throw Failure(message: "the folder '\(folder)' does not exist")
            }
            guard isDir.boolValue else { throw Failure(message: "'\(folder)' is not a folder") }
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            throw Failure(message: "'\(path)' is a folder")
        }
        let name = (path as NSString).lastPathComponent
        let temp = (folder.isEmpty ? "" : folder + "/") + ".\(name).\(getpid()).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(message: reason(errno)) }
        var bytes = Array(text.utf8)
        var offset = 0
        let ok: Bool = bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return true }
            while offset < buffer.count {
                let n = Glibc.write(fd, base + offset, buffer.count - offset)
                if n < 0 { if errno == EINTR { continue }; return false }
                offset += n
            }
            return true
        }
        let writeErrno = errno
        let closed = close(fd) == 0
        guard ok, closed else {
            unlink(temp)
            throw Failure(message: reason(ok ? errno : writeErrno))
        }
        bytes.removeAll()
        guard rename(temp, path) == 0 else {
            let e = errno
            unlink(temp)
            throw Failure(message: reason(e))
        }
    }

    static func reason(_ code: Int32) -> String {
        switch code {
        case EACCES, EPERM: return "permission denied"
        case ENOSPC: return "no space left on the device"
        case EROFS: return "the file system is read-only"
        case ENAMETOOLONG: return "the name is too long"
        default: return String(cString: strerror(code)).lowercased()
        }
    }
}
