/// Position of a case score within a cohort (reference population) of scores.
public enum Percentile {
    /// Mid-rank percentile: `(below + ties/2) / total`, a fraction in [0, 1], where `below` counts
    /// cohort scores strictly less than `score` and `ties` those equal to it. Counting ties as half
    /// makes the value symmetric and unbiased when the case score is drawn from the cohort's own
    /// distribution. An empty cohort gives percentile NaN with counts 0. NaN cohort entries are
    /// neither below nor tied but still count in `total`.
    public static func rank(score: Double, among cohort: [Double]) -> (percentile: Double, below: Int, total: Int) {
        guard !cohort.isEmpty else { return (.nan, 0, 0) }
        let below = cohort.count { $0 < score }
        let ties = cohort.count { $0 == score }
        return ((Double(below) + Double(ties) / 2) / Double(cohort.count), below, cohort.count)
    }
}
