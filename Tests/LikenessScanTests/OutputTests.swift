import Foundation
import LikenessScan
import Testing

@Suite("output formats, appending and resume")
struct OutputTests {
    static let hostileNames = [
        "plain.wav", "comma, and \"quotes\".wav", "new\nline.wav", "cr\r\nlf.wav", "tab\there.wav",
        "ünïcødé – 声.wav", "=SUM(A1).wav", "back\\slash.wav", "nul-free \u{1}\u{1F}.wav",
    ]

    static func hitResult(file: String, sha: String) -> FileResult {
        let segments = [ScanSegment(start: 10, end: 28.5, maxScore: 0.96, meanScore: 0.94, windows: 12, maxLog10LR: 3.2)]
        return FileResult(
            path: ScanPath(file), sha256: sha, durationSeconds: 54.89, speechSeconds: 40, windows: 36, speechWindows: 30,
            hits: [
                ScanHit(artist: "alice", name: "Alice, \"A\"\nExample", score: 0.8954981, bestClipScore: 0.9, llr: 7.1,
                        log10LR: 3.08, percentile: 0.99, rank: 1, selectedBy: .top, segments: segments),
                ScanHit(artist: "bob", name: "Bob", score: 0.61, bestClipScore: 0.6, llr: .nan, log10LR: .nan,
                        percentile: nil, rank: 2, selectedBy: .segments, segments: []),
            ],
            warnings: ["truncated file: header declares 10 frames"], seconds: 1.23456)
    }

    @Test("JSON Lines: one line per record, whatever the file name, and it reads back the same", arguments: ScanFormat.allCases)
    func roundTrip(format: ScanFormat) throws {
        var data = format.header ?? Data()
        var written: [ScanRecord] = []
        for (i, name) in Self.hostileNames.enumerated() {
            let records = ScanRecord.records(for: Self.hitResult(file: name, sha: String(repeating: "\(i)", count: 64)),
                                             modelID: "ge2e", scannedAt: "2026-11-25T00:00:00Z")
            #expect(records.map(\.row) == [1, 2] && records.allSatisfy { $0.rows == 2 })
            for r in records {
                let line = try format.encode(r)
                #expect(line.last == UInt8(ascii: "\n"))
                if format == .jsonl {
                    #expect(line.filter { $0 == UInt8(ascii: "\n") }.count == 1, "one physical line per record")
                }
                data += line
            }
            written += records
        }
        let parsed = try format.parse(data)
        #expect(parsed.validLength == data.count)
        #expect(parsed.records.count == written.count)
        for (a, b) in zip(parsed.records, written) {
            #expect(a.file == b.file)
            #expect(a.name == b.name)
            #expect(a.sha256 == b.sha256)
            #expect(a.segments == b.segments)
            #expect(a.warnings == b.warnings)
            #expect(a.score == b.score)
            #expect(a.log10LR?.isNaN == true || a.log10LR == b.log10LR)
        }
        #expect(written[0].score == 0.895498, "scores rounded to 6 decimals")
        #expect(written[0].seconds == 1.235)
    }

    @Test("CSV: quoted only when needed, quotes doubled, the header names every column")
    func csvQuoting() throws {
        let header = String(decoding: ScanFormat.csv.header ?? Data(), as: UTF8.self)
        #expect(header == ScanFormat.csvColumns.joined(separator: ",") + "\n")
        let records = ScanRecord.records(for: Self.hitResult(file: "comma, and \"quotes\".wav", sha: "ab"),
                                         modelID: "ge2e", scannedAt: "t")
        let line = String(decoding: try ScanFormat.csv.encode(records[0]), as: UTF8.self)
        #expect(line.hasPrefix("hit,\"comma, and \"\"quotes\"\".wav\",ab,alice,\"Alice, \"\"A\"\"\nExample\",0.895498,"))
        #expect(line.contains(",top,54.89,40,36,30,"))
    }

    @Test("a cut-off last line and an incomplete file group are not part of the valid prefix", arguments: ScanFormat.allCases)
    func validPrefix(format: ScanFormat) throws {
        let complete = ScanRecord.records(for: Self.hitResult(file: "a.wav", sha: "aa"), modelID: "m", scannedAt: "t")
        let groupTwo = ScanRecord.records(for: Self.hitResult(file: "b.wav", sha: "bb"), modelID: "m", scannedAt: "t")
        var data = format.header ?? Data()
        for r in complete { data += try format.encode(r) }
        let goodLength = data.count
        data += try format.encode(groupTwo[0]) // row 1 of 2: group incomplete
        let partial = try format.encode(groupTwo[1])
        data += partial.prefix(partial.count / 2) // killed mid-line
        let parsed = try format.parse(data)
        #expect(parsed.validLength == goodLength)
        #expect(parsed.records.map(\.file) == ["a.wav", "a.wav"])
    }

    @Test("a file that is not scan output is refused, not appended to")
    func foreignFile() throws {
        #expect(throws: ScanOutputError.self) { try ScanFormat.jsonl.parse(Data("hello\nworld\n".utf8)) }
        #expect(throws: ScanOutputError.self) { try ScanFormat.csv.parse(Data("a,b\n1,2\n".utf8)) }
    }

    @Test("appending: a new output refuses an existing file; resume cuts the torn tail and skips done files", arguments: ScanFormat.allCases)
    func resume(format: ScanFormat) throws {
        let dir = try Support.temporaryDirectory()
        let path = dir.appendingPathComponent("out.\(format.rawValue)").path
        do {
            let (out, index) = try ScanOutput.open(path: path, format: format, resume: false)
            #expect(index.records.isEmpty)
            try out.write(ScanRecord.records(for: Self.hitResult(file: "a.wav", sha: "aa"), modelID: "m", scannedAt: "t"))
            try out.write(ScanRecord.records(for: FileResult(path: ScanPath("locked.wav"), error: "cannot read file: Permission denied"),
                                             modelID: "m", scannedAt: "t"))
            out.close()
        }
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: ScanOutputError.self) { _ = try ScanOutput.open(path: path, format: format, resume: false) }

        // A kill mid-write leaves half a line.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"kind\":\"hit\",\"file\":\"b.wa".utf8))
        try handle.close()

        let (out, index) = try ScanOutput.open(path: path, format: format, resume: true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == good, "the torn line is cut off, nothing else changes")
        #expect(index.fileCount == 2)
        #expect(index.contains(sha256: "aa", path: "renamed.wav"), "skipped by content, whatever the name")
        #expect(!index.contains(sha256: "cc", path: "a.wav"), "same name, new content: scanned")
        #expect(index.contains(sha256: nil, path: "locked.wav"), "an unreadable file is known by its path")
        #expect(!index.contains(sha256: nil, path: "other.wav"))
        try out.write(ScanRecord.records(for: FileResult(path: ScanPath("c.wav"), sha256: "cc", seconds: 1), modelID: "m", scannedAt: "t"))
        out.close()
        let final = try format.parse(try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(final.records.map(\.file) == ["a.wav", "a.wav", "locked.wav", "c.wav"])
        #expect(final.records.last?.kind == .noHit)
    }

    @Test("two scans cannot append to one output at once")
    func exclusive() throws {
        let dir = try Support.temporaryDirectory()
        let path = dir.appendingPathComponent("out.jsonl").path
        let (first, _) = try ScanOutput.open(path: path, format: .jsonl, resume: true)
        #expect(throws: ScanOutputError.self) { _ = try ScanOutput.open(path: path, format: .jsonl, resume: true) }
        first.close()
        let (again, _) = try ScanOutput.open(path: path, format: .jsonl, resume: true)
        again.close()
    }
}
