/// Scores of a set of verification trials, split by ground truth.
///
/// `targets` are same-speaker trials, `nontargets` different-speaker trials. Depending on context the
/// values are raw scores (any monotonic "higher = more similar" scale, e.g. cosine) or calibrated
/// natural-log likelihood ratios. Metrics require both lists non-empty and no NaN (precondition).
public struct TrialScores: Sendable, Codable, Equatable {
    public var targets: [Double]
    public var nontargets: [Double]

    public init(targets: [Double], nontargets: [Double]) {
        self.targets = targets
        self.nontargets = nontargets
    }
}

extension TrialScores {
    /// `values` split by class: `values[i]` is a target trial's score when `isTarget[i]`. Precondition: as many
    /// labels as values.
    public init(values: [Double], isTarget: [Bool]) {
        precondition(values.count == isTarget.count, "TrialScores(values:isTarget:): \(values.count) values, \(isTarget.count) labels")
        var targets: [Double] = [], nontargets: [Double] = []
        for (value, target) in zip(values, isTarget) {
            if target { targets.append(value) } else { nontargets.append(value) }
        }
        self.init(targets: targets, nontargets: nontargets)
    }

    /// The trials of several sets as one set (targets with targets, in order).
    public init(pooling sets: [TrialScores]) {
        self.init(targets: sets.flatMap(\.targets), nontargets: sets.flatMap(\.nontargets))
    }

    /// One pooled trial: its score and whether it is a target trial.
    struct Trial {
        var score: Double
        var isTarget: Bool
    }

    /// Precondition shared by every metric: both classes present, no NaN (NaN has no order).
    func validate(_ function: String) {
        precondition(!targets.isEmpty && !nontargets.isEmpty,
                     "\(function): need at least one target and one nontarget trial")
        precondition(!targets.contains(where: \.isNaN) && !nontargets.contains(where: \.isNaN),
                     "\(function): scores contain NaN")
    }

    /// All trials sorted by ascending score. At equal scores targets come first (the order BOSARIS
    /// `rocch` uses): a target followed by a nontarget is a violation, so PAV pools every tie into
    /// one bin and a tie group is never split by a threshold it cannot realise.
    func sortedTrials() -> [Trial] {
        let pooled = targets.map { Trial(score: $0, isTarget: true) }
            + nontargets.map { Trial(score: $0, isTarget: false) }
        return pooled.sorted { a, b in
            a.score < b.score || (a.score == b.score && a.isTarget && !b.isTarget)
        }
    }
}

/// Threshold halfway between two distinct adjacent scores (written to avoid overflow).
func midpoint(_ a: Double, _ b: Double) -> Double { a / 2 + b / 2 }
