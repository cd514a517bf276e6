import Foundation
import JSONText
import TensorCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and writing the safetensors format: an 8-byte little-endian header length, a
/// JSON header `{"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]},
/// ..., "__metadata__": {string: string}}` padded with spaces to 8 bytes, then the raw
/// little-endian tensor bytes. Files written here load in the standard readers
/// (`safetensors.numpy.load_file`, `safetensors.torch.load_file`); taalm adds a
/// `taalm.checksum` metadata entry (FNV-1a 64 of the data) so flipped bytes are caught.
public enum Safetensors {
    /// Largest header accepted (as the reference implementation: 100 MB).
    public static let maxHeaderBytes = 100_000_000

    /// Writes `tensors` (in order) and `metadata` to `path` atomically: a temporary file in
    /// the same directory, flushed, then renamed over `path`.
    public static func write(_ tensors: ParameterSet, metadata: [String: String], to path: String) throws(NNError) {
        var meta = metadata
        var offsets: [(Int, Int)] = []
        var total = 0
        for t in tensors.tensors {
            offsets.append((total, total + t.count * 4))
            total += t.count * 4
        }
        var data = Data(count: total)
        data.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            for (t, (start, _)) in zip(tensors.tensors, offsets) {
                (base + start).copyMemory(from: UnsafeRawPointer(t.storage.pointer), byteCount: t.count * 4)
            }
        }
        meta["taalm.checksum"] = checksum(data)
        var header = "{"
        var first = true
        for ((name, t), (start, end)) in zip(tensors.entries, offsets) {
            if !first { header += "," }
            first = false
            header += "\(JSONWriter.string(name)):{\"dtype\":\"F32\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(start),\(end)]}"
        }
        header += first ? "" : ","
        header += "\"__metadata__\":{"
        header += meta.keys.sorted().map { "\(JSONWriter.string($0)):\(JSONWriter.string(meta[$0] ?? ""))" }.joined(separator: ",")
        header += "}}"
        var headerBytes = Data(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        var file = Data()
        var n = UInt64(headerBytes.count).littleEndian
        withUnsafeBytes(of: &n) { file.append(contentsOf: $0) }
        file.append(headerBytes)
        file.append(data)
        try atomicWrite(file, to: path)
    }

    /// Writes `data` to a temporary sibling of `path`, syncs it, and renames it over `path`.
    static func atomicWrite(_ data: Data, to path: String) throws(NNError) {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw .checkpoint("cannot write '\(path)': the directory '\(dir)' does not exist")
        }
        let tmp = dir + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw .checkpoint("cannot create '\(tmp)': \(String(cString: strerror(errno)))") }
        var ok = data.withUnsafeBytes { raw -> Bool in
            guard var p = raw.baseAddress else { return true }
            var left = raw.count
            while left > 0 {
                let w = Glibc.write(fd, p, left)
                if w < 0 { if errno == EINTR { continue }; return false }
                left -= w
                p += w
            }
            return true
        }
        let err = String(cString: strerror(errno))
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok, rename(tmp, path) == 0 else {
            unlink(tmp)
            throw .checkpoint("cannot write '\(path)': \(err)")
        }
    }

    /// Reads and validates a safetensors file: header length, JSON, dtypes (F32 only),
    /// shapes against byte ranges, offsets inside the data and tiling it without gaps or
    /// overlaps, and the taalm checksum when present. Tensors come back in file order.
    public static func read(_ path: String) throws(NNError) -> (tensors: ParameterSet, metadata: [String: String]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .checkpoint("cannot read '\(path)': no such file or not readable")
        }
        return try parse(data, name: path)
    }

    /// `read` on bytes in memory.
    public static func parse(_ data: Data, name: String = "checkpoint") throws(NNError) -> (tensors: ParameterSet, metadata: [String: String]) {
        func bad(_ m: String) -> NNError { .checkpoint("'\(name)' is not a valid safetensors file: \(m)") }
        guard data.count >= 8 else { throw bad("it is \(data.count) bytes long, shorter than the 8-byte header length (truncated?)") }
        let bytes = [UInt8](data)
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard n <= UInt64(maxHeaderBytes) else { throw bad("header length \(n) is implausibly large (corrupted?)") }
        guard Int(n) <= bytes.count - 8 else {
            throw bad("the header claims \(n) bytes but only \(bytes.count - 8) follow (truncated?)")
        }
        let headerData = Data(bytes[8..<(8 + Int(n))])
        guard String(data: headerData, encoding: .utf8) != nil else { throw bad("the header is not UTF-8 text (corrupted?)") }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: headerData) } catch { throw bad("the header is not valid JSON (corrupted?)") }
        guard let header = object as? [String: Any] else { throw bad("the header is not a JSON object") }
        var metadata: [String: String] = [:]
        if let m = header["__metadata__"] {
            guard let md = m as? [String: Any] else { throw bad("__metadata__ is not an object") }
            for (k, v) in md {
                guard let s = v as? String else { throw bad("metadata entry '\(k)' is not a string") }
                metadata[k] = s
            }
        }
        let bufferStart = 8 + Int(n)
        let bufferSize = bytes.count - bufferStart
        var entries: [(name: String, shape: [Int], start: Int, end: Int)] = []
        for (key, value) in header where key != "__metadata__" {
            guard let info = value as? [String: Any] else { throw bad("entry '\(key)' is not an object") }
            guard let dtype = info["dtype"] as? String else { throw bad("entry '\(key)' has no dtype") }
            guard dtype == "F32" else { throw bad("tensor '\(key)' has dtype \(dtype); taalm reads F32 only") }
            guard let shapeAny = info["shape"] as? [Any], let offAny = info["data_offsets"] as? [Any], offAny.count == 2 else {
                throw bad("tensor '\(key)' lacks a shape or a pair of data_offsets")
            }
            let shape = shapeAny.compactMap { ($0 as? NSNumber).map { $0.intValue } }
            let off = offAny.compactMap { ($0 as? NSNumber).map { $0.intValue } }
            guard shape.count == shapeAny.count, off.count == 2, shape.allSatisfy({ $0 >= 0 }) else {
                throw bad("tensor '\(key)' has a malformed shape or offsets")
            }
            let count: Int
            do { count = try Shape.validate(shape, op: "load") } catch { throw bad("tensor '\(key)': \(error)") }
            guard off[0] >= 0, off[1] >= off[0], off[1] - off[0] == count * 4 else {
                throw bad("tensor '\(key)' of shape \(shapeString(shape)) needs \(count * 4) bytes but its offsets \(off) span \(off[1] - off[0])")
            }
            guard off[1] <= bufferSize else {
                throw bad("tensor '\(key)' ends at byte \(off[1]) of the data but the file holds only \(bufferSize) (truncated?)")
            }
            entries.append((key, shape, off[0], off[1]))
        }
        entries.sort { $0.start != $1.start ? $0.start < $1.start : $0.name < $1.name }
        var expected = 0
        for e in entries {
            guard e.start == expected else {
                throw bad(e.start < expected ? "tensor '\(e.name)' overlaps the previous tensor" : "a gap of \(e.start - expected) bytes before tensor '\(e.name)'")
            }
            expected = e.end
        }
        guard expected == bufferSize else {
            throw bad("the tensors cover \(expected) bytes but \(bufferSize) data bytes follow the header (extra or missing data)")
        }
        let body = Data(bytes[bufferStart...])
        if let sum = metadata["taalm.checksum"], sum != checksum(body) {
            throw .checkpoint("'\(name)' is corrupted: its data does not match the checksum recorded when it was written")
        }
        var set = ParameterSet()
        for e in entries {
            let count = (e.end - e.start) / 4
            let t: Tensor
            do { t = try Tensor.zeros(e.shape) } catch { throw bad("tensor '\(e.name)': \(error)") }
            bytes.withUnsafeBytes { raw in
                guard let base = raw.baseAddress else { return }
                UnsafeMutableRawPointer(t.storage.pointer).copyMemory(from: base + bufferStart + e.start, byteCount: count * 4)
            }
            set[e.name] = t
        }
        return (set, metadata)
    }

    /// FNV-1a 64-bit hash of `data`, as 16 hex digits.
    static func checksum(_ data: Data) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        data.withUnsafeBytes { raw in
            for b in raw { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        }
        let s = String(h, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
