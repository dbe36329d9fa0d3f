import Foundation
import LikenessScoring

/// Renders reports as ONE self-contained HTML file: inline CSS and inline SVG, no scripts, no
/// external fonts, images or style sheets, printable on A4.
///
/// Reporting conventions follow the ENFSI Guideline for Evaluative Reporting in Forensic Science
/// (2015) and the consensus on validation of forensic voice comparison (Morrison et al. 2021):
/// the answer is a likelihood ratio for two stated propositions, given as log10 LR and with the
/// verbal scale named; it is never a "% similar"; validation results (EER, Cllr, minCllr, Tippett
/// and DET plots) on named data accompany it, with the limitations.
///
/// The output is also well-formed XML (void elements self-closed, only XML entities), so it can
/// be checked with an XML parser. Every caller-supplied string is escaped.
public enum HTMLReport {
    /// A case report: one clip against one artist. The case details come first, then the summary (the
    /// propositions, stated once, and the answer), then the sections that support it.
    public static func render(_ r: EvidenceReport) -> String {
        var body = "<header><p class=\"kicker\">Forensic voice comparison report</p><h1>\(e(r.title))</h1>"
        body += "<p class=\"meta\">Generated \(e(r.generatedAt)) by likeness \(e(r.toolVersion))</p></header>"
        body += caseTable(r)
        body += "<section class=\"answer\" aria-label=\"Summary\"><h2 class=\"inline\">Summary</h2>"
        body += propositions(r) + headline(r).map { "<p>\($0)</p>" }.joined() + "</section>"

        body += section(1, "Likelihood ratio and likeness percentile", results(r))
        body += section(2, "Relevant population and validation", populationAndValidation(r))
        body += section(3, "Figures", caseFigures(r))
        body += section(4, "Questioned recording", recording(r.clip) + (r.syntheticSpeech.map(syntheticSpeech) ?? ""))
        body += section(5, "Enrolled artist", artist(r))
        body += section(6, "Method and parameters", methodTable(r.method))
        body += section(7, "Software", softwareTable(toolVersion: r.toolVersion, generatedAt: r.generatedAt, model: nil, method: r.method))
        body += section(8, "Limitations", limitationList(r.limitations))
        return document(title: r.title, body: body, toolVersion: r.toolVersion)
    }

    /// A validation report: the comparator's performance on one labelled trial list.
    public static func render(_ r: EvaluationReport) -> String {
        var body = "<header><p class=\"kicker\">Validation report</p><h1>\(e(r.title))</h1>"
        body += "<p class=\"meta\">Generated \(e(r.generatedAt)) by likeness \(e(r.toolVersion))</p></header>"
        body += "<section class=\"answer\" aria-label=\"Summary\"><h2 class=\"inline\">Summary</h2><p>\(evaluationHeadline(r))</p></section>"
        let validation = ValidationFacts(name: r.trialList, scores: r.scores, log10LRs: r.log10LRs,
                                         calibration: r.calibration, metrics: r.metrics)
        var results = "<p>Model: <strong>\(e(r.model))</strong>.</p>"
        results += validationBody(validation, figureStart: 1)
        body += section(1, "Results", results)
        body += section(2, "Method and parameters", methodTable(r.method))
        body += section(3, "Software", softwareTable(toolVersion: r.toolVersion, generatedAt: r.generatedAt,
                                                     model: r.model, method: r.method))
        body += section(4, "Limitations", limitationList(r.limitations))
        return document(title: r.title, body: body, toolVersion: r.toolVersion)
    }

    // MARK: Case report sections

    static func referenceName(_ r: EvidenceReport) -> String { r.artist?.name ?? "the reference speaker" }

    static let notStated = "<span class=\"unstated\">not stated</span>"

    /// Case, exhibit, examiner, instructing party ("not stated" when missing), what was compared, consent.
    static func caseTable(_ r: EvidenceReport) -> String {
        var rows = r.caseDetails.rows.map { ($0.label, $0.value.map(e) ?? notStated) }
        rows.append(("Questioned recording", "<span class=\"name\">\(e(r.clip.fileName))</span> <span class=\"note\">(SHA-256 in section 4)</span>"))
        if let a = r.artist {
            rows.append(("Compared with", "<span class=\"name\">\(e(a.name))</span> <span class=\"note\">(enrolled artist, registry id <code>\(e(a.id))</code>)</span>"))
            // A withdrawal is stated in bold: the artist asked for their voiceprint not to be used.
            let consent = a.consentText.map { a.consentStatus == "withdrawn" ? "<strong>\(e($0))</strong>" : e($0) } ?? notStated
            rows.append(("Artist's consent", consent))
        }
        return "<section class=\"case\" aria-label=\"Case\">" + table(rows) + "</section>"
    }

    /// The relevant population of H2 in a few words: the calibration's lists, else the validation data, else the cohort.
    static func populationWords(_ r: EvidenceReport) -> String {
        if let v = r.validation, !v.datasets.isEmpty {
            return "represented in this report by the speakers of the validation data (" + v.datasets.map { e($0.description) }.joined(separator: "; ") + ")"
        }
        if let v = r.validation { return "represented in this report by the validation data (\(e(v.name)))" }
        if let p = r.percentile { return "represented in this report by the reference cohort (\(e(p.cohortName)))" }
        return "not specified in this report"
    }

    /// The question and the two propositions: the only place the report spells them out.
    static func propositions(_ r: EvidenceReport) -> String {
        let who = e(referenceName(r))
        return """
        <p class="question">\(e(r.question))</p>
        <table class="props"><tbody>
        <tr><th scope="row">H<sub>1</sub> (same speaker)</th><td>The questioned voice is the voice of <span class="name">\(who)</span>.</td></tr>
        <tr><th scope="row">H<sub>2</sub> (different speaker)</th><td>The questioned voice is the voice of another speaker from the relevant population, \(populationWords(r)).</td></tr>
        </tbody></table>
        """
    }

    /// The answer in plain words: the likelihood ratio with its verbal equivalent, the cohort percentile, and
    /// how the two relate. Escaped HTML fragments, one per paragraph.
    static func headline(_ r: EvidenceReport) -> [String] {
        let who = e(referenceName(r))
        var out: [String] = []
        if let l = r.log10LR, !l.isNaN {
            out.append(EvidenceWording.likelihoodRatio(log10LR: l, propositions: .labelled, markup: .html))
        } else {
            out.append("No calibrated likelihood ratio is available for this comparison. The raw similarity score is \(Format.fixed(r.score, 3)) (cosine similarity of the voiceprints), which on its own does not express the strength of the evidence.")
        }
        if let p = r.percentile, let s = percentileSentence(p, who: who) { out.append(s) }
        if let s = reconciliation(r) { out.append(s) }
        return out
    }

    static func percentileSentence(_ p: PercentileFacts, who: String) -> String? {
        EvidenceWording.percentile(fraction: p.fraction, cohortSize: p.cohortSize, cohortName: e(p.cohortName), who: who,
                                   markup: .html)
    }

    /// Why the percentile and the likelihood ratio can seem to disagree, said where they do: they answer
    /// different questions against different data.
    static func reconciliation(_ r: EvidenceReport) -> String? {
        guard let l = r.log10LR, !l.isNaN, let p = r.percentile, p.cohortSize > 0, p.fraction.isFinite else { return nil }
        let who = e(referenceName(r))
        let favours = VerbalScale.band(log10LR: l)?.favours
        if p.fraction >= 0.5 && favours != .sameSpeaker {
            return "These two statements do not contradict each other. The percentile compares the clip with other voices: the clip is closer to \(who) than most voices of the cohort. The likelihood ratio asks whether a score this high is more typical of two recordings of one speaker or of two different speakers in the calibration data; here it is \(favours == .differentSpeaker ? "more typical of different speakers" : "about as typical of either"). A voice can be closer to \(who) than most voices and still be no closer than different speakers often are (section 1)."
        }
        if p.fraction < 0.5 && favours == .sameSpeaker {
            return "These two statements do not contradict each other. The likelihood ratio weighs the score against same-speaker and different-speaker pairs in the calibration data; the percentile compares it with the cohort's voices, which were recorded under other conditions. The difference is a sign that the case conditions may not match the data; section 1 explains both measures."
        }
        return "The likelihood ratio and the percentile answer different questions (section 1); here they point the same way."
    }

    static func results(_ r: EvidenceReport) -> String {
        let who = e(referenceName(r))
        var lrResult = "not available (no calibration was applied)"
        if let l = r.log10LR, !l.isNaN {
            lrResult = "<strong>\(Format.likelihoodRatio(log10LR: l))</strong> (log10\(Format.nbsp)LR\(Format.nbsp)=\(Format.nbsp)\(Format.signed(l, 2)))"
            if let v = r.verbal { lrResult += ": \(e(v))" }
        }
        var percentileResult = "not available (no reference cohort)"
        var cohortText = "no reference cohort was used"
        if let p = r.percentile {
            cohortText = "the \(Format.integer(p.cohortSize)) voices of the reference cohort (\(e(p.cohortName))), each compared with the voiceprint of \(who)"
            if p.cohortSize > 0 && p.fraction.isFinite {
                // Mid-rank: ties count half, so the count of voices at least as close is approximate.
                let closer = Int(((1 - p.fraction) * Double(p.cohortSize)).rounded())
                percentileResult = p.fraction >= 1 ? "closer than <strong>all</strong> \(Format.integer(p.cohortSize)) cohort voices"
                    : closer == 0 ? "closer than <strong>\(Format.percent(p.fraction))</strong> of the cohort voices (hardly any of the \(Format.integer(p.cohortSize)) is as close)"
                    : "closer than <strong>\(Format.percent(p.fraction))</strong> of the cohort voices (about \(Format.integer(closer)) of \(Format.integer(p.cohortSize)) are as close or closer)"
            } else {
                percentileResult = "not available (empty cohort)"
            }
        }
        var s = """
        <table class="side"><thead><tr><th scope="col"></th><th scope="col">Likelihood ratio (LR)</th><th scope="col">Likeness percentile</th></tr></thead><tbody>
        <tr><th scope="row">Question it answers</th><td>How much more probable is this similarity score if H<sub>1</sub> is true than if H<sub>2</sub> is true?</td><td>How close is the clip to the voiceprint of \(who), compared with other voices?</td></tr>
        <tr><th scope="row">Compared against</th><td>the scores of same-speaker and of different-speaker pairs of recordings in the calibration data (section 2)</td><td>\(cohortText)</td></tr>
        <tr><th scope="row">This result</th><td>\(lrResult)</td><td>\(percentileResult)</td></tr>
        <tr><th scope="row">How to read it</th><td>Above 1 supports H<sub>1</sub>, below 1 supports H<sub>2</sub>, about 1 supports neither. It is <em>not</em> the probability that either proposition is true: that also depends on the other evidence in the case.</td><td>A high percentile means the clip is unusually close to \(who) among these voices. It is not a probability and not a strength of evidence: different speakers can also be close, which is what the LR takes into account.</td></tr>
        </tbody></table>
        """
        var notes: [String] = []
        if let l = r.log10LR, !l.isNaN, abs(l) >= log10(2.0) {
            let (more, less) = l > 0 ? (who, "another speaker") : ("another speaker", who)
            notes.append("In words: the observed similarity is \(Format.timesMoreProbable(log10LR: l)) times more probable if the clip is the voice of \(more) than if it is the voice of \(less).")
        }
        if let v = r.validation, let note = extrapolationNote(score: r.score, validation: v) { notes.append(note) }
        var rows: [(String, String)] = [
            ("Similarity score", "\(Format.fixed(r.score, 3)) <span class=\"note\">(cosine similarity of the voiceprints, from \(Format.minus)1 to 1; not a percentage and not evidence strength by itself)</span>"),
        ]
        if let p = r.percentile, !p.nearest.isEmpty {
            let list = p.nearest.map { "<li><span class=\"name\">\(e($0.id))</span>: \(Format.fixed($0.score, 3))</li>" }.joined()
            rows.append(("Cohort voices nearest to \(who)", "<ol class=\"nearest\">\(list)</ol>"))
        }
        s += notes.map { "<p>\($0)</p>" }.joined() + table(rows)
        if r.log10LR != nil { s += verbalScaleTable(current: r.log10LR, name: r.verbalScaleName) }
        return s
    }

    /// The population H2 refers to, the data that stand for it, and the validation of the calibration.
    static func populationAndValidation(_ r: EvidenceReport) -> String {
        var s = "<p>H<sub>2</sub> needs a population of other speakers who could have produced the questioned voice. The software does not choose it for the case: the examiner should judge whether the data below stand for such speakers (sex, language, accent, age, recording conditions).</p>"
        var rows: [(String, String)] = []
        if let v = r.validation {
            let lists = v.datasets.isEmpty ? e(v.name) : "the trial lists in the table below"
            rows.append(("For the likelihood ratio", "the different-speaker pairs of the calibration data (\(lists))"))
        }
        if let p = r.percentile {
            let source = p.cohortSource.map { ": \(e($0))" } ?? ""
            rows.append(("For the percentile", "the reference cohort, \(Format.integer(p.cohortSize)) voices\(source.isEmpty ? " (\(e(p.cohortName)))" : source)"))
        }
        if !rows.isEmpty { s += table(rows) }
        return s + (r.validation.map { validationBody($0) }
            ?? "<p class=\"warning\"><strong>No validation data were supplied.</strong> The reliability of this result under conditions like those of the case has not been demonstrated, and the likelihood ratio, if any, should not be relied on.</p>")
    }

    /// Warns when the case score lies outside the validation scores: the calibration is then an
    /// extrapolation, and its LR is less certain than the validation figures suggest.
    static func extrapolationNote(score: Double, validation v: ValidationFacts) -> String? {
        let all = (v.scores.targets + v.scores.nontargets).filter(\.isFinite)
        guard let lo = all.min(), let hi = all.max(), score.isFinite, score < lo || score > hi else { return nil }
        return "<strong>Caution:</strong> the similarity score lies outside the range of scores in the validation data (\(Format.fixed(lo, 3)) to \(Format.fixed(hi, 3))). The likelihood ratio is an extrapolation of the calibration beyond the tested conditions."
    }

    /// The verbal scale with its bands, the band of this result marked in words and bold.
    static func verbalScaleTable(current: Double?, name: String?) -> String {
        let band = current.flatMap { VerbalScale.band(log10LR: $0) }
        var rows = ""
        var lower = 0.0
        for strength in VerbalScale.Strength.allCases {
            let upper = strength.upperLog10
            let lrRange = upper.map { "\(Format.magnitude(pow(10, lower))) to \(Format.magnitude(pow(10, $0)))" } ?? "more than \(Format.magnitude(pow(10, lower)))"
            let logRange = upper.map { "\(Format.fixed(lower, 2)) to \(Format.fixed($0, 2))" } ?? "more than \(Format.fixed(lower, 2))"
            let words = strength == .none ? "no support for either proposition" : "\(strength.adjective) support"
            let isCurrent = band?.strength == strength
            rows += "<tr\(isCurrent ? " class=\"current\"" : "")><td>\(lrRange)</td><td>\(logRange)</td><td>\(words)\(isCurrent ? " <span class=\"here\">\u{25C0} this result</span>" : "")</td></tr>"
            lower = upper ?? lower
        }
        let caption = name.map { "Verbal scale: \(e($0))." } ?? "Verbal scale."
        return """
        <table class="scale"><caption>\(caption) The same bands apply to 1/LR, supporting the different-speaker proposition.</caption>
        <thead><tr><th scope="col">LR</th><th scope="col">|log10 LR|</th><th scope="col">Verbal expression</th></tr></thead>
        <tbody>\(rows)</tbody></table>
        """
    }


    static func caseFigures(_ r: EvidenceReport) -> String {
        let who = referenceName(r)
        var figures: [(svg: String, caption: String)] = []
        let scoreMarker = SVGChart.Marker(value: r.score, label: "this clip: \(Format.fixed(r.score, 3))")
        if let v = r.validation {
            figures.append((SVGChart.histograms(targets: v.scores.targets, nontargets: v.scores.nontargets, marker: scoreMarker),
                            "Similarity scores of same-speaker comparisons (blue, solid) and different-speaker comparisons (vermilion, dashed) in the validation data (section 2), with the score of this clip (black vertical line). The further the line sits inside the same-speaker distribution and beyond the different-speaker one, the more the score supports the same-speaker proposition."))
        }
        if let p = r.percentile, !p.cohortScores.isEmpty {
            figures.append((SVGChart.histograms(targets: [], nontargets: p.cohortScores, marker: scoreMarker,
                                                nontargetLabel: "cohort voices compared with \(who)",
                                                xTitle: "similarity to the voiceprint of \(who) (cosine)",
                                                description: "Similarity of the cohort voices to the artist"),
                            "Similarity of each voice in the reference cohort (\(e(p.cohortName))) to the voiceprint of \(e(who)), with this clip (black vertical line). The percentile is the proportion of cohort voices to the left of the line."))
        }
        if let v = r.validation, let l = v.log10LRs {
            let marker = r.log10LR.flatMap { $0.isNaN ? nil : SVGChart.Marker(value: $0, label: "this clip: \(Format.signed($0, 2))") }
            figures.append((SVGChart.tippett(targetLLRs: l.targets, nontargetLLRs: l.nontargets, marker: marker),
                            "Tippett plot of the validation likelihood ratios (section 2). Blue, solid: proportion of same-speaker comparisons with log10 LR at or below the value on the horizontal axis. Vermilion, dashed: proportion of different-speaker comparisons at or above it. Where each curve crosses the dotted line at log10 LR = 0 is its rate of misleading evidence; the black line marks this clip."))
        }
        if let v = r.validation {
            figures.append((SVGChart.det(targets: v.scores.targets, nontargets: v.scores.nontargets, options: detOptions),
                            "Detection error trade-off on the validation data: for every decision threshold on the score, the proportion of same-speaker comparisons missed against the proportion of different-speaker comparisons accepted (probit scales). Lower left is better; the circle marks the equal error rate (EER)."))
        }
        guard !figures.isEmpty else {
            return "<p>No figures: neither validation data nor cohort scores were supplied.</p>"
        }
        return figures.enumerated().map { figure(number: $0.offset + 1, svg: $0.element.svg, caption: $0.element.caption) }.joined()
    }

    static let detOptions = SVGChart.Options(width: 420, height: 400)

    static func figure(number: Int, svg: String, caption: String) -> String {
        "<figure>\(svg)<figcaption><strong>Figure \(number).</strong> \(caption)</figcaption></figure>"
    }

    // MARK: Validation (shared)

    /// Validation metrics table with plain explanations, then (when `figureStart` is given) the
    /// distribution, Tippett and DET figures numbered from it.
    static func validationBody(_ v: ValidationFacts, figureStart: Int? = nil) -> String {
        var s = "<p>Validation data: <strong>\(e(v.name))</strong>.</p>"
        if !v.datasets.isEmpty {
            let rows = v.datasets.map { d in
                "<tr><td>\(e(d.description))\(d.detail.map { "<br/><span class=\"note\">\(e($0))</span>" } ?? "")</td><td>\(Format.integer(d.targets))</td><td>\(Format.integer(d.nontargets))</td></tr>"
            }.joined()
            s += "<table class=\"lists\"><thead><tr><th scope=\"col\">Trial list</th><th scope=\"col\">Same-speaker pairs</th><th scope=\"col\">Different-speaker pairs</th></tr></thead><tbody>\(rows)</tbody></table>"
        }
        guard let m = v.metrics else {
            s += "<p class=\"warning\">The validation data lack same-speaker or different-speaker comparisons, so no error rates can be computed.</p>"
            return s + validationFigures(v, figureStart: figureStart)
        }
        var rows: [(String, String)] = [
            ("Comparisons", "\(Format.integer(m.targets)) same-speaker, \(Format.integer(m.nontargets)) different-speaker"),
            ("Equal error rate (EER)", "\(Format.percent(m.eer, 2)) <span class=\"note\">(the error rate at the threshold where misses and false alarms are equally frequent; ROC convex hull)</span>"),
            ("Minimum detection cost (minDCF)", "\(Format.fixed(m.minDCF, 3)) <span class=\"note\">(at P<sub>target</sub>\(Format.nbsp)=\(Format.nbsp)\(Format.fixed(m.pTarget, 2)), C<sub>miss</sub>\(Format.nbsp)=\(Format.nbsp)\(Format.fixed(m.cMiss, 0)), C<sub>fa</sub>\(Format.nbsp)=\(Format.nbsp)\(Format.fixed(m.cFa, 0)); 0 is perfect, 1 is no better than ignoring the evidence)</span>"),
        ]
        if let cllr = m.cllr {
            rows.append(("Cllr", "\(Format.fixed(cllr, 3)) bits <span class=\"note\">(cost of the likelihood ratios as reported: 0 is perfect, 1 is no better than always reporting LR\(Format.nbsp)=\(Format.nbsp)1)</span>"))
        } else {
            rows.append(("Cllr", "not available (no calibrated likelihood ratios)"))
        }
        rows.append(("minCllr", "\(Format.fixed(m.minCllr, 3)) bits <span class=\"note\">(Cllr after the best possible calibration on this data: the discrimination loss alone)</span>"))
        if let cllr = m.cllr, cllr.isFinite {
            rows.append(("Calibration loss", "\(Format.fixed(cllr - m.minCllr, 3)) bits <span class=\"note\">(Cllr \(Format.minus) minCllr)</span>"))
        }
        if let c = v.calibration { rows.append(("Calibration", e(c))) }
        s += table(rows)
        if let cllr = m.cllr, cllr >= 1 {
            s += "<p class=\"warning\"><strong>Caution:</strong> Cllr is 1 bit or more: on this data the likelihood ratios are no better than uninformative and should not be relied on.</p>"
        }
        return s + validationFigures(v, figureStart: figureStart)
    }

    static func validationFigures(_ v: ValidationFacts, figureStart: Int?) -> String {
        guard var n = figureStart else { return "" }
        var s = figure(number: n, svg: SVGChart.histograms(targets: v.scores.targets, nontargets: v.scores.nontargets, marker: nil),
                       caption: "Similarity scores of same-speaker comparisons (blue, solid) and different-speaker comparisons (vermilion, dashed).")
        n += 1
        if let l = v.log10LRs {
            s += figure(number: n, svg: SVGChart.tippett(targetLLRs: l.targets, nontargetLLRs: l.nontargets, marker: nil),
                        caption: "Tippett plot\(v.calibration.map { " (\(e($0)))" } ?? ""). Blue, solid: proportion of same-speaker comparisons with log10 LR at or below the value on the horizontal axis. Vermilion, dashed: proportion of different-speaker comparisons at or above it. Each curve's height at log10 LR = 0 (dotted line) is its rate of misleading evidence.")
            n += 1
        }
        s += figure(number: n, svg: SVGChart.det(targets: v.scores.targets, nontargets: v.scores.nontargets, options: detOptions),
                    caption: "Detection error trade-off: miss rate against false-alarm rate over all thresholds (probit scales); the circle marks the equal error rate.")
        return s
    }

    static func evaluationHeadline(_ r: EvaluationReport) -> String {
        guard let m = r.metrics else {
            return "The trial list \(e(r.trialList)) does not contain both same-speaker and different-speaker comparisons with valid scores, so no error rates can be computed."
        }
        var s = "On \(e(r.trialList)) (\(Format.integer(m.targets)) same-speaker and \(Format.integer(m.nontargets)) different-speaker comparisons), the \(e(r.model)) comparator has an equal error rate of <strong>\(Format.percent(m.eer, 2))</strong>"
        if let cllr = m.cllr {
            s += ", a Cllr of <strong>\(Format.fixed(cllr, 3)) bits</strong> and a minCllr of \(Format.fixed(m.minCllr, 3)) bits."
        } else {
            s += " and a minCllr of \(Format.fixed(m.minCllr, 3)) bits (no calibrated likelihood ratios, so no Cllr)."
        }
        return s
    }

    // MARK: Recording, artist, method, software

    /// The questioned recording: its identity, then what it sounds like to the analysis (level, peak, clipping,
    /// bandwidth) with how each is measured, then the warnings about it.
    static func recording(_ c: ClipFacts) -> String {
        let analysed = c.recording.map { " <span class=\"note\">(analysed as \($0.analysisSampleRate)\(Format.nbsp)Hz mono)</span>" } ?? ""
        var rows: [(String, String)] = [
            ("File", "<span class=\"name\">\(e(c.fileName))</span>"),
            ("SHA-256", "<code class=\"hash\">\(e(c.sha256))</code>"),
            ("Format", e(c.format) + analysed),
            ("Duration", Format.seconds(c.durationSeconds)),
            ("Speech analysed", c.speechSeconds.map { "\(Format.seconds($0)) <span class=\"note\">(after removing silence)</span>" } ?? "not recorded"),
        ]
        guard let q = c.recording else {
            return table(rows) + "<p>The recording level, clipping and bandwidth were not measured.</p>"
        }
        let dB = { (v: Double?) in v.map { "\(Format.fixed($0, 1))\(Format.nbsp)dBFS" } ?? "digital silence" }
        let nyquist = Double(q.analysisSampleRate) / 2
        let kHz = { (hz: Double) in "\(Format.fixed(hz / 1000, 1))\(Format.nbsp)kHz" }
        rows += [
            ("Level (RMS)", "\(dB(q.levelDBFS)) <span class=\"note\">(root mean square of all samples, decibels relative to full scale, before the analysis scales the clip to one level)</span>"),
            ("Peak", dB(q.peakDBFS)),
            ("Clipped samples", "\(Format.percent(q.clippedFraction, 2)) <span class=\"note\">(samples at full scale)</span>"),
            ("Bandwidth", (q.bandwidthHz.map { "about \(kHz($0))" } ?? "not measured (too short or silent)")
                + " <span class=\"note\">(highest frequency at which the long-term average spectrum is within \(Format.fixed(q.bandwidthFloorDB, 0))\(Format.nbsp)dB of its peak; measured on the analysed signal, so at most \(kHz(nyquist)))</span>"),
        ]
        var notes = q.warnings.map(e)
        if let bw = q.bandwidthHz, bw < 4200 {
            notes.append("The bandwidth is narrow (telephone-like): the voice above about \(kHz(bw)) is missing, and with it part of what distinguishes speakers. The result holds only as far as the calibration data include recordings like this.")
        }
        if let level = q.levelDBFS, level < -40 {
            notes.append("The recording is quiet (below \(Format.minus)40\(Format.nbsp)dBFS): scaling it to the analysis level raises its noise together with the voice.")
        }
        let observations = notes.isEmpty ? "<p>No problems with level, clipping or bandwidth were detected.</p>"
            : "<ul class=\"quality\">" + notes.map { "<li>\($0)</li>" }.joined() + "</ul>"
        return table(rows) + observations
    }

    /// The synthetic-speech indicator: the judgement, its numbers, its validation and its limit, under the
    /// recording it is about.
    static func syntheticSpeech(_ f: SyntheticSpeechFacts) -> String {
        var rows: [(String, String)] = [
            ("Judgement", e(f.verdict)),
            ("Likelihood ratio", f.log10LR.map { "log10 LR \(Format.fixed($0, 2)) <span class=\"note\">(human recording versus synthetic speech; positive favours a human recording)</span>" } ?? "not calibrated"),
            ("Detector score", "\(Format.fixed(f.score, 3)) <span class=\"note\">(mean over \(f.windows) window\(f.windows == 1 ? "" : "s") of 4.04\(Format.nbsp)s, \(Format.seconds(f.secondsAnalysed)) analysed; bona fide minus spoof logit)</span>"),
            ("Detector", e(f.model)),
        ]
        rows.append(("Measured error rates", f.validation.map(e) ?? "no calibration: not validated"))
        return "<h3>Synthetic-speech indicator</h3>" + table(rows)
            + "<p>This indicator sits beside the likeness result and does not change it. Its limit: \(e(f.caveat)).</p>"
    }

    /// The enrolled artist and the clips behind the voiceprint (consent is in the case table at the top).
    static func artist(_ r: EvidenceReport) -> String {
        guard let a = r.artist else { return "<p>The clip was compared with a reference recording, not with an enrolled artist.</p>" }
        var s = table([
            ("Name", "<span class=\"name\">\(e(a.name))</span>"),
            ("Registry id", "<code>\(e(a.id))</code>"),
            ("Enrolled clips", Format.integer(a.enrolledClips)),
            ("Speech in enrolment", Format.seconds(a.speechSeconds)),
        ])
        if !a.clips.isEmpty {
            let items = a.clips.map { "<li><span class=\"name\">\(e($0.fileName))</span><br/>SHA-256 <code class=\"hash\">\(e($0.sha256))</code></li>" }.joined()
            s += "<h3>Enrolled clips</h3><ol class=\"clips\">\(items)</ol>"
        }
        return s
    }

    /// The method entries, except those about the model: the software table states them (`softwareTable`).
    static func methodTable(_ method: [String: String]) -> String {
        let rows = method.filter { !$0.key.lowercased().contains("model") }.sorted { $0.key < $1.key }
        guard !rows.isEmpty else { return "<p>No method details were recorded.</p>" }
        return table(rows.map { (e($0.key), e($0.value)) }, keyClass: "param")
    }

    /// Tool, time, `model` and every method entry whose key mentions the model (id, SHA-256,
    /// file), skipping one that only repeats `model`.
    static func softwareTable(toolVersion: String, generatedAt: String, model: String?, method: [String: String]) -> String {
        var rows = [("Tool", "likeness \(e(toolVersion))"), ("Report generated (UTC)", e(generatedAt))]
        if let model { rows.append(("Model", "<code class=\"hash\">\(e(model))</code>")) }
        for (key, value) in method.sorted(by: { $0.key < $1.key })
        where key.lowercased().contains("model") && value != model {
            rows.append((e(key), "<code class=\"hash\">\(e(value))</code>"))
        }
        return table(rows)
    }

    static func limitationList(_ items: [String]) -> String {
        guard !items.isEmpty else { return "<p>No limitations were stated.</p>" }
        return "<ul class=\"limits\">" + items.map { "<li>\(e($0))</li>" }.joined() + "</ul>"
    }

    // MARK: Markup helpers

    static func e(_ s: String) -> String { Escape.html(s) }

    /// A two-column key/value table. Both columns are HTML fragments (escape before calling).
    static func table(_ rows: [(String, String)], keyClass: String? = nil) -> String {
        let cls = keyClass.map { " class=\"\($0)\"" } ?? ""
        return "<table class=\"kv\"><tbody>" + rows.map { "<tr><th scope=\"row\"\(cls)>\($0.0)</th><td>\($0.1)</td></tr>" }.joined() + "</tbody></table>"
    }

    static func section(_ number: Int, _ title: String, _ content: String) -> String {
        "<section><h2><span class=\"num\">\(number)</span> \(title)</h2>\(content)</section>"
    }

    static func document(title: String, body: String, toolVersion: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="likeness \(e(toolVersion))"/>
        <title>\(e(title))</title>
        <style>\(css)</style></head>
        <body><main>
        \(body)
        <footer>Self-contained report produced by likeness \(e(toolVersion)). The figures are embedded; the file needs no network access.</footer>
        </main></body></html>

        """
    }

    /// A4 print layout, readable sizes, no external fonts. Contains no `<` or `&`, so it is valid
    /// XML character data as it stands.
    static let css = """
    @page { size: A4; margin: 16mm 15mm 18mm 15mm; }
    :root { --same: #0072B2; --diff: #D55E00; --ink: #1a1a1a; --muted: #555; --rule: #c8c8c8; }
    * { box-sizing: border-box; }
    body { margin: 0; background: #fff; color: var(--ink); font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; font-size: 15px; line-height: 1.5; }
    main { max-width: 182mm; margin: 0 auto; padding: 24px 20px 40px; }
    header { border-bottom: 2px solid var(--ink); margin-bottom: 18px; }
    .kicker { text-transform: uppercase; letter-spacing: 0.08em; font-size: 12px; color: var(--muted); margin: 0; }
    h1 { font-size: 24px; line-height: 1.25; margin: 4px 0 6px; overflow-wrap: anywhere; }
    .meta { color: var(--muted); font-size: 13px; margin: 0 0 10px; }
    h2 { font-size: 19px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); break-after: avoid; page-break-after: avoid; }
    h2 .num { display: inline-block; min-width: 1.6em; color: var(--muted); }
    h2.inline { font-size: 13px; text-transform: uppercase; letter-spacing: 0.08em; color: #1a4f8b; border: 0; margin: 0 0 6px; padding: 0; }
    h3 { font-size: 16px; margin: 18px 0 6px; }
    .answer { border: 2px solid #1a4f8b; border-left-width: 8px; background: #eef4fb; padding: 14px 18px; margin: 8px 0 10px; font-size: 17px; line-height: 1.5; break-inside: avoid; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    .answer p { margin: 0 0 8px; }
    .answer p:last-child { margin-bottom: 0; }
    .question { font-size: 17px; font-weight: bold; }
    table { border-collapse: collapse; width: 100%; table-layout: fixed; margin: 8px 0 12px; font-size: 14px; }
    tr { break-inside: avoid; page-break-inside: avoid; }
    th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid #e2e2e2; overflow-wrap: anywhere; }
    table.kv th { width: 28%; font-weight: 600; color: #333; }
    table.kv th.param { width: 24%; }
    table.props th { width: 34%; }
    .answer table.props { font-size: 15px; margin-top: 4px; }
    .answer table.props th, .answer table.props td { border-bottom-color: #c9d8ea; }
    section.case table { margin-top: 0; }
    .unstated { color: var(--muted); font-style: italic; }
    table.side thead th { border-bottom: 1px solid #999; }
    table.side th:first-child { width: 20%; }
    table.side tbody th { font-weight: 600; color: #333; }
    table.lists th:nth-child(1) { width: 60%; }
    ul.quality li { margin-bottom: 6px; }
    .note { color: var(--muted); font-size: 13px; }
    .name { font-weight: 600; overflow-wrap: anywhere; }
    code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; overflow-wrap: anywhere; }
    code.hash { font-size: 11.5px; word-break: break-all; }
    table.scale { font-size: 13.5px; break-inside: avoid; page-break-inside: avoid; }
    table.scale caption { caption-side: top; text-align: left; color: var(--muted); font-size: 13px; padding-bottom: 4px; }
    table.scale thead th { border-bottom: 1px solid #999; }
    table.scale th:nth-child(1) { width: 30%; }
    table.scale th:nth-child(2) { width: 22%; }
    table.scale tr.current td { font-weight: bold; background: #fff2cc; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    .here { font-weight: bold; }
    ol.nearest { margin: 0; padding-left: 1.4em; }
    ol.clips { padding-left: 1.6em; font-size: 14px; }
    ol.clips li { margin-bottom: 6px; break-inside: avoid; }
    figure { margin: 18px 0; break-inside: avoid; page-break-inside: avoid; }
    figure svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
    figcaption { font-size: 13.5px; color: #333; margin-top: 6px; }
    .warning { border-left: 4px solid #b00020; padding: 6px 10px; background: #fdf0f2; }
    ul.limits li { margin-bottom: 6px; }
    footer { margin-top: 32px; padding-top: 8px; border-top: 1px solid var(--rule); color: var(--muted); font-size: 12px; }
    @media print {
      body { font-size: 10.5pt; }
      main { max-width: none; padding: 0; }
      .answer { font-size: 12pt; }
      h2 { font-size: 14pt; }
      section { break-inside: auto; }
    }
    """
}
