import Foundation

/// A trial list: `enroll<TAB>test<TAB>target|nontarget`, paths relative to a root folder.
public struct TrialList: Sendable {
    public struct Trial: Sendable {
        public let enroll: String
        public let test: String
        public let isTarget: Bool
    }

    public let trials: [Trial]
    public let root: URL

    /// Parses a trial file. Blank lines and `#` comments are skipped; any other malformed line is an error
    /// naming the line, because a silently dropped trial changes the error rates.
    public init(path: String, root: String?) throws {
        let url = URL(fileURLWithPath: path)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw LikenessError.invalidInput("\(path): cannot read the trial list")
        }
        self.root = root.map { URL(fileURLWithPath: $0) } ?? url.deletingLastPathComponent()
        var trials: [Trial] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let cols = line.split(separator: "\t").map(String.init)
            guard cols.count >= 3 else {
                throw LikenessError.invalidInput("\(path):\(n + 1): expected enroll<TAB>test<TAB>target|nontarget")
            }
            let isTarget: Bool
            switch cols[2].lowercased() {
            case "target", "same_source", "1", "true": isTarget = true
            case "nontarget", "non-target", "0", "false": isTarget = false
            default: throw LikenessError.invalidInput("\(path):\(n + 1): unknown label '\(cols[2])' (use target or nontarget)")
            }
            trials.append(Trial(enroll: cols[0], test: cols[1], isTarget: isTarget))
        }
        guard !trials.isEmpty else { throw LikenessError.invalidInput("\(path): no trials") }
        self.trials = trials
    }

    /// Every distinct file the trials mention, in first-seen order, as absolute paths.
    public var files: [String] {
        var seen = Set<String>(), out: [String] = []
        for t in trials {
            for p in [t.enroll, t.test] where seen.insert(p).inserted { out.append(resolve(p)) }
        }
        return out
    }

    public func resolve(_ relative: String) -> String {
        relative.hasPrefix("/") ? relative : root.appendingPathComponent(relative).path
    }
}
