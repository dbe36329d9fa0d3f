import ArgumentParser
import LikenessCore

/// `--calibration FILE|default` and `--cohort FILE|default`: what turns a score into evidence.
struct EvidenceOptions: ParsableArguments {
    @Option(help: "Score-to-likelihood-ratio calibration: a file from `likeness calibrate`, or 'default' (shipped, fitted on open data).")
    var calibration: String?

    @Option(help: "Reference cohort for the likeness percentile: a file from `likeness cohort build`, or 'default' (shipped, LibriSpeech speakers).")
    var cohort: String?

    var selection: EvidenceSelection { EvidenceSelection(calibration: calibration, cohort: cohort) }
}
