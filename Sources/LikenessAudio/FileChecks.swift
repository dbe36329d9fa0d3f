// Checks made before and beside libsndfile: path sanity, containers libsndfile cannot read, and
// the frame count a PCM header declares (libsndfile silently shrinks a truncated file's count).

import Foundation

/// A read-only POSIX file descriptor with positioned reads.
struct RawFile: ~Copyable {
    let path: String
    /// File size in bytes at open.
    let size: Int64
    private let fd: Int32

    /// Opens a regular file for reading; maps errno to `AudioError`.
    init(path: String) throws(AudioError) {
        var st = stat()
        if stat(path, &st) != 0 {
            let err = errno
            if err == ENOENT || err == ENOTDIR { throw .fileNotFound(path: path) }
            throw .unreadable(path: path, reason: String(cString: strerror(err)))
        }
        let type = st.st_mode & S_IFMT
        if type == S_IFDIR { throw .isDirectory(path: path) }
        if type != S_IFREG { throw .unreadable(path: path, reason: "not a regular file") }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        self.path = path
        self.fd = fd
        size = Int64(st.st_size)
    }

    deinit { Foundation.close(fd) }

    /// Up to `count` bytes at `offset` (fewer at end of file).
    func read(at offset: Int64, count: Int) throws(AudioError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, count - got, off_t(offset) + off_t(got)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            got += n
        }
        return Array(bytes.prefix(got))
    }
}

enum FileChecks {
    /// Verifies the path is a readable, non-empty regular file and that its first bytes are not a
    /// container libsndfile cannot decode. Runs before sf_open so errors are specific.
    static func preflight(path: String) throws(AudioError) {
        let file = try RawFile(path: path)
        if file.size == 0 { throw .empty(path: path) }
        let head = try file.read(at: 0, count: 16)
        if let (format, advice) = unsupportedContainer(head) {
            throw .unsupportedFormat(path: path, format: format, advice: advice)
        }
    }

    static let convertAdvice = "libsndfile cannot decode it; convert to WAV or FLAC first, "
        + "e.g. `ffmpeg -i INPUT -ac 1 -ar 16000 out.wav`"

    /// Recognises common containers libsndfile does not read, from the first bytes.
    static func unsupportedContainer(_ head: [UInt8]) -> (format: String, advice: String)? {
        // ISO base media (MP4/M4A/MOV/3GP): a box size then 'ftyp' and the major brand.
        if head.count >= 12, ascii(head[4..<8]) == "ftyp" {
            let brand = ascii(head[8..<12]).trimmingCharacters(in: .whitespaces)
            return ("MP4/M4A (ftyp brand '\(brand)', usually AAC or ALAC)", convertAdvice)
        }
        // ADTS AAC: 12-bit sync 0xFFF with layer bits 00 (MPEG audio layers are 01..11).
        if head.count >= 2, head[0] == 0xFF, head[1] & 0xF6 == 0xF0 {
            return ("raw AAC (ADTS)", convertAdvice)
        }
        if head.count >= 4, ascii(head[0..<4]) == "ADIF" {
            return ("raw AAC (ADIF)", convertAdvice)
        }
        // ASF (WMA/WMV) header object GUID 75B22630-668E-11CF-...
        if head.starts(with: [0x30, 0x26, 0xB2, 0x75, 0x8E, 0x66, 0xCF, 0x11]) {
            return ("ASF/WMA", convertAdvice)
        }
        return nil
    }

    /// Frames an uncompressed file's header declares, read independently of libsndfile (which
    /// sizes a cut-off WAV/AIFF/W64/CAF by what is on disk): RIFF/RF64/BW64 data bytes / block
    /// align, AIFF COMM frame count, W64 data bytes / block align, CAF data bytes / bytes per packet.
    /// nil for other containers, or when the header is incomplete or marks the size unknown.
    static func headerDeclaredFrames(path: String) throws(AudioError) -> Int64? {
        let file = try RawFile(path: path)
        let head = try file.read(at: 0, count: 16)
        guard head.count == 16 else { return nil }
        let magic = ascii(head[0..<4]), form = ascii(head[8..<12])
        switch magic {
        case "RIFF", "RF64", "BW64":
            return form == "WAVE" ? try riffFrames(file, isRF64: magic != "RIFF") : nil
        case "FORM":
            return form == "AIFF" || form == "AIFC" ? try aiffFrames(file) : nil
        case "riff":
            let riffID = w64GUID("riff", [0x2E, 0x91, 0xCF, 0x11, 0xA5, 0xD6, 0x28, 0xDB, 0x04, 0xC1, 0x00, 0x00])
            return Array(head) == riffID ? try w64Frames(file) : nil
        case "caff":
            return try cafFrames(file)
        default:
            return nil
        }
    }

    /// Walks a chunk list (id, then a size field) until `visit` returns true; `next` maps a chunk's
    /// offset and size field to the following chunk's offset.
    private static func forEachChunk(
        _ file: borrowing RawFile, from start: Int64, idBytes: Int, sizeBytes: Int, bigEndian: Bool,
        next: (_ offset: Int64, _ size: UInt64) -> Int64,
        _ visit: (_ id: [UInt8], _ body: Int64, _ size: UInt64) throws(AudioError) -> Bool
    ) throws(AudioError) {
        var offset = start
        // Bounded walk: the chunks of interest come early; junk sizes must not loop forever.
        for _ in 0..<256 {
            let header = try file.read(at: offset, count: idBytes + sizeBytes)
            guard header.count == idBytes + sizeBytes else { return }
            let id = Array(header[0..<idBytes])
            let sizeField = Array(header[idBytes...])
            let size = bigEndian ? sizeField.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                                 : sizeField.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            if try visit(id, offset + Int64(idBytes + sizeBytes), size) { return }
            let following = next(offset, size)
            guard following > offset, following < file.size else { return }
            offset = following
        }
    }

    private static func riffFrames(_ file: borrowing RawFile, isRF64: Bool) throws(AudioError) -> Int64? {
        var ds64DataSize: UInt64?
        var blockAlign: UInt64?
        var frames: Int64?
        try forEachChunk(file, from: 12, idBytes: 4, sizeBytes: 4, bigEndian: false,
                         next: { $0 + 8 + Int64(clamping: $1 + ($1 & 1)) }) { id, body, size throws(AudioError) in
            switch ascii(id[...]) {
            case "ds64":
                let b = try file.read(at: body, count: 16)
                if b.count == 16 { ds64DataSize = le(b[8..<16]) }
            case "fmt ":
                let b = try file.read(at: body, count: 14)
                if b.count == 14 { blockAlign = le(b[12..<14]) }
            case "data":
                // 0xFFFFFFFF: RF64 size lives in ds64; in plain RIFF it marks a streamed, unsized file.
                let bytes = size == 0xFFFF_FFFF ? (isRF64 ? ds64DataSize : nil) : size
                if let bytes, let align = blockAlign, align > 0 { frames = Int64(clamping: bytes / align) }
                return true
            default:
                break
            }
            return false
        }
        return frames
    }

    private static func aiffFrames(_ file: borrowing RawFile) throws(AudioError) -> Int64? {
        var frames: Int64?
        try forEachChunk(file, from: 12, idBytes: 4, sizeBytes: 4, bigEndian: true,
                         next: { $0 + 8 + Int64(clamping: $1 + ($1 & 1)) }) { id, body, _ throws(AudioError) in
            guard ascii(id[...]) == "COMM" else { return false }
            let b = try file.read(at: body, count: 6)
            if b.count == 6 { frames = Int64(be(b[2..<6])) }
            return true
        }
        return frames
    }

    private static func w64Frames(_ file: borrowing RawFile) throws(AudioError) -> Int64? {
        let fmtID = w64GUID("fmt ", waveSuffix), dataID = w64GUID("data", waveSuffix)
        var blockAlign: UInt64?
        var frames: Int64?
        // W64 sizes are 64-bit and include the 24-byte chunk header; chunks are 8-byte aligned.
        try forEachChunk(file, from: 40, idBytes: 16, sizeBytes: 8, bigEndian: false,
                         next: { $0 + (Int64(clamping: $1) + 7) / 8 * 8 }) { id, body, size throws(AudioError) in
            if id == fmtID {
                let b = try file.read(at: body, count: 14)
                if b.count == 14 { blockAlign = le(b[12..<14]) }
            } else if id == dataID {
                if let align = blockAlign, align > 0, size >= 24 { frames = Int64(clamping: (size - 24) / align) }
                return true
            }
            return false
        }
        return frames
    }

    private static func cafFrames(_ file: borrowing RawFile) throws(AudioError) -> Int64? {
        var bytesPerPacket: UInt64?
        var frames: Int64?
        try forEachChunk(file, from: 8, idBytes: 4, sizeBytes: 8, bigEndian: true,
                         next: { $0 + 12 + Int64(clamping: $1) }) { id, body, size throws(AudioError) in
            switch ascii(id[...]) {
            case "desc":
                let b = try file.read(at: body, count: 20)
                if b.count == 20 { bytesPerPacket = be(b[16..<20]) }
            case "data":
                // Size -1 (all ones) marks an unsized final chunk; the body starts with a 4-byte edit count.
                if size != UInt64.max, size >= 4, let bpp = bytesPerPacket, bpp > 0 {
                    frames = Int64(clamping: (size - 4) / bpp)
                }
                return true
            default:
                break
            }
            return false
        }
        return frames
    }

    /// Why an MPEG audio file looks cut off, or nil when its frames end where the file does.
    ///
    /// Walks the frame headers from the first frame (after an ID3v2 tag) using each header's length
    /// (Layer I: (12 bitrate / rate + padding) × 4 bytes; Layer II and MPEG-1 Layer III: 144 bitrate /
    /// rate + padding; MPEG-2/2.5 Layer III: 72 bitrate / rate + padding; bitrate in kbit/s). A cut at an
    /// arbitrary byte leaves a last frame that runs past the end of the file; trailing ID3v1/APE/Lyrics tags
    /// are allowed. Gives up (nil) where the headers stop making sense (free-format bitrate, junk): it only
    /// reports what it can show. One sequential pass over the file.
    static func mpegCutDescription(path: String) throws(AudioError) -> String? {
        let file = try RawFile(path: path)
        var reader = ChunkReader(size: file.size)
        func bytes(_ offset: Int64, _ count: Int) throws(AudioError) -> ArraySlice<UInt8> {
            try reader.bytes(file, at: offset, count: count)
        }
        var offset: Int64 = 0
        let id3 = try bytes(0, 10)
        if id3.count == 10, ascii(id3.prefix(3)) == "ID3" {
            let b = Array(id3)
            let size = (Int64(b[6]) << 21) | (Int64(b[7]) << 14) | (Int64(b[8]) << 7) | Int64(b[9])
            offset = 10 + size + (b[5] & 0x10 != 0 ? 10 : 0)
        }
        var frames = 0
        while offset < file.size {
            let header = Array(try bytes(offset, 4))
            guard header.count == 4, let length = mpegFrameLength(header) else {
                // Not a frame: a trailing tag, the end, or something this walk does not follow.
                return nil
            }
            if offset + Int64(length) > file.size {
                let present = file.size - offset
                return "its last MPEG frame (frame \(frames + 1), at byte \(offset)) needs \(length) bytes but the file "
                    + "ends after \(present): the file was cut off; decoding what is present"
            }
            offset += Int64(length)
            frames += 1
        }
        return nil
    }

    /// Bytes of the MPEG audio frame whose 4-byte header is `h`, or nil when `h` is not a usable header.
    static func mpegFrameLength(_ h: [UInt8]) -> Int? {
        guard h[0] == 0xFF, h[1] & 0xE0 == 0xE0 else { return nil }
        let version = (h[1] >> 3) & 3          // 0: MPEG-2.5, 2: MPEG-2, 3: MPEG-1
        let layer = (h[1] >> 1) & 3            // 3: Layer I, 2: Layer II, 1: Layer III
        let bitrateIndex = Int(h[2] >> 4), rateIndex = Int((h[2] >> 2) & 3), padding = Int((h[2] >> 1) & 1)
        guard version != 1, layer != 0, bitrateIndex != 0, bitrateIndex != 15, rateIndex != 3 else { return nil }
        let mpeg1 = version == 3
        let rate = [44100, 48000, 32000][rateIndex] >> (mpeg1 ? 0 : (version == 2 ? 1 : 2))
        let kbps: [Int]
        switch (mpeg1, layer) {
        case (true, 3): kbps = [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448]
        case (true, 2): kbps = [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384]
        case (true, _): kbps = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]
        case (false, 3): kbps = [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256]
        default: kbps = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
        }
        let bitrate = kbps[bitrateIndex] * 1000
        switch layer {
        case 3: return (12 * bitrate / rate + padding) * 4
        case 1 where !mpeg1: return 72 * bitrate / rate + padding
        default: return 144 * bitrate / rate + padding
        }
    }

    /// Sequential reads through a 64 KB window, so a walk over many small frames costs one read per window.
    private struct ChunkReader {
        let size: Int64
        var start: Int64 = 0
        var window: [UInt8] = []

        init(size: Int64) { self.size = size }

        mutating func bytes(_ file: borrowing RawFile, at offset: Int64, count: Int) throws(AudioError) -> ArraySlice<UInt8> {
            if offset < start || offset + Int64(count) > start + Int64(window.count) {
                start = offset
                window = try file.read(at: offset, count: max(count, 1 << 16))
            }
            let from = Int(offset - start)
            return window[from..<min(window.count, from + count)]
        }
    }

    private static let waveSuffix: [UInt8] = [0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4F, 0x8E, 0xDB, 0x8A]

    private static func w64GUID(_ tag: String, _ suffix: [UInt8]) -> [UInt8] { Array(tag.utf8) + suffix }

    private static func le(_ b: ArraySlice<UInt8>) -> UInt64 { b.reversed().reduce(0) { $0 << 8 | UInt64($1) } }

    private static func be(_ b: ArraySlice<UInt8>) -> UInt64 { b.reduce(0) { $0 << 8 | UInt64($1) } }

    private static func ascii(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.map { (0x20...0x7E).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }
}
