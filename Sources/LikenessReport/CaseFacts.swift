import Foundation

/// Who the report is for and what it is about: the fields a forensic report carries on its first page. Every
/// field is optional; a missing one is printed as "not stated", never left blank.
public struct CaseDetails: Sendable, Codable, Equatable {
    /// Case or laboratory reference number.
    public var caseNumber: String?
    /// Exhibit (item) number of the questioned recording.
    public var exhibit: String?
    /// The examiner responsible for the report.
    public var examiner: String?
    /// Who asked for the examination (court, firm, agency).
    public var instructingParty: String?

    public init(caseNumber: String? = nil, exhibit: String? = nil, examiner: String? = nil, instructingParty: String? = nil) {
        self.caseNumber = caseNumber
        self.exhibit = exhibit
        self.examiner = examiner
        self.instructingParty = instructingParty
    }

    /// The keys of a case file (`likeness report --case-file`), the same words as the options.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case caseNumber = "case"
        case exhibit, examiner
        case instructingParty = "instructing_party"
    }

    /// `self` with each field of `other` that is given replacing ours (options over a case file).
    public func overridden(by other: CaseDetails) -> CaseDetails {
        CaseDetails(caseNumber: other.caseNumber ?? caseNumber, exhibit: other.exhibit ?? exhibit,
                    examiner: other.examiner ?? examiner, instructingParty: other.instructingParty ?? instructingParty)
    }

    /// Blank values count as not stated.
    var rows: [(label: String, value: String?)] {
        [("Case number", caseNumber), ("Exhibit", exhibit), ("Examiner", examiner), ("Instructing party", instructingParty)]
            .map { ($0.0, $0.1.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }) }
    }
}

/// How the questioned recording sounds to the analysis: measured on the decoded signal (mono, at
/// `analysisSampleRate`), before any level normalisation.
public struct RecordingFacts: Sendable, Codable, Equatable {
    /// RMS level, dBFS; nil for digital silence.
    public var levelDBFS: Double?
    /// Peak level, dBFS; nil for digital silence.
    public var peakDBFS: Double?
    /// Fraction of samples at full scale.
    public var clippedFraction: Double
    /// Highest frequency within `bandwidthFloorDB` of the long-term spectrum's peak, Hz.
    public var bandwidthHz: Double?
    public var bandwidthFloorDB: Double
    /// Sample rate of the measured signal, Hz (the bandwidth cannot exceed half of it).
    public var analysisSampleRate: Int
    /// The decoder's and the analysis's warnings about the recording, in words (file named by its base name).
    public var warnings: [String]

    public init(levelDBFS: Double?, peakDBFS: Double?, clippedFraction: Double, bandwidthHz: Double?,
                bandwidthFloorDB: Double, analysisSampleRate: Int, warnings: [String] = []) {
        self.levelDBFS = levelDBFS
        self.peakDBFS = peakDBFS
        self.clippedFraction = clippedFraction
        self.bandwidthHz = bandwidthHz
        self.bandwidthFloorDB = bandwidthFloorDB
        self.analysisSampleRate = analysisSampleRate
        self.warnings = warnings
    }
}

/// One labelled trial list behind the calibration and its validation, named by what it is.
public struct DataSetFacts: Sendable, Codable, Equatable {
    /// Short plain name (`DataDescriptions.describe`), never a path.
    public var description: String
    /// What a reader needs to judge the data (`DataDescriptions.detail`); nil when not known.
    public var detail: String?
    public var targets: Int
    public var nontargets: Int

    public init(description: String, detail: String? = nil, targets: Int, nontargets: Int) {
        self.description = description
        self.detail = detail
        self.targets = targets
        self.nontargets = nontargets
    }
}

/// Names data sets by what they are, not by the file paths they were read from: a report must not print the
/// layout of the examiner's disk, and "synthetic/trials.tsv" says nothing to a court.
public enum DataDescriptions {
    /// The development and shipped lists, keyed by the folder they live in (`../shared/data/<key>/...`): a short
    /// name for sentences and the detail a reader needs to judge the data.
    public static let known: [String: (name: String, detail: String)] = [
        "librispeech_tc100": ("LibriSpeech read English audiobooks", "LibriSpeech train-clean-100, 223 speakers; both recordings of a same-speaker pair are halves of one recording, which flatters the result"),
        "librispeech": ("LibriSpeech read English audiobooks", "LibriSpeech"),
        "misc_small": ("a small mixed set of real recordings", "19 speakers, several formats (FLAC, MP3, Ogg, WAV), 16 to 48 kHz"),
        "speechocean762": ("English read by native Mandarin speakers", "speechocean762: 120 speakers, children and adults, some background noise"),
        "synthetic": ("13 synthetic text-to-speech voices", "flite, festival and espeak-ng voices: not human speakers"),
        "fsdd": ("spoken digits at 8 kHz", "Free Spoken Digit Dataset: 6 male speakers, telephone-like bandwidth, 0.1 to 2.3 s per clip"),
        "voxceleb1": ("VoxCeleb1 celebrity interviews", "interviews from online video"),
    ]

    /// The known short name for the first path component that names a known list, else the list's own name
    /// without directories or extension (the folder's name when the file is a generic "trials*").
    public static func describe(_ listName: String) -> String {
        if let key = knownKey(listName) { return known[key]!.name }
        let parts = components(listName)
        guard let last = parts.last else { return "unnamed list" }
        if last.lowercased().hasPrefix("trials"), parts.count > 1 { return "list \u{201C}\(parts[parts.count - 2])\u{201D}" }
        return "list \u{201C}\(last)\u{201D}"
    }

    /// The known detail of a list (`known`), nil for a list we do not know.
    public static func detail(_ listName: String) -> String? {
        knownKey(listName).map { known[$0]!.detail }
    }

    static func knownKey(_ listName: String) -> String? {
        components(listName).map { $0.lowercased() }.first { known[$0] != nil }
    }

    /// `name` with any directories and a file extension removed: "/home/x/a/b.json" -> "b".
    public static func withoutPath(_ name: String) -> String {
        components(name).last ?? name
    }

    /// `text` with every word that looks like a path ("from /home/x/voices," -> "from voices,") cut to its last
    /// component: free text written by other commands (a cohort's default source) may name folders.
    public static func withoutPaths(in text: String) -> String {
        text.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            guard word.contains("/") || word.contains("\\") else { return String(word) }
            let core = word.trimmingCharacters(in: CharacterSet(charactersIn: "()[],;:\"'"))
            guard !core.isEmpty, let range = word.range(of: core) else { return String(word) }
            return word.replacingCharacters(in: range, with: withoutPath(core))
        }.joined(separator: " ")
    }

    static func components(_ name: String) -> [String] {
        let parts = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).map(String.init)
        guard let last = parts.last else { return [] }
        // Only a file's extension: "VoxCeleb1 v1.1" is a name, not a file.
        let ext = (last as NSString).pathExtension.lowercased()
        let stem = ["tsv", "txt", "csv", "json", "lst", "list"].contains(ext) ? (last as NSString).deletingPathExtension : last
        return parts.dropLast() + [stem.isEmpty ? last : stem]
    }
}
