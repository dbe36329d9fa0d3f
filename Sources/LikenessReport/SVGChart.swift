import Foundation
import LikenessScoring

/// Inline SVG figures for reports: pure functions from numbers to a self-contained `<svg>` string.
///
/// Every chart is well-formed XML (so the report parses as XHTML too), escapes every label,
/// never prints NaN or infinity into coordinates, and degrades to a framed "no data" panel when
/// its input cannot be plotted (empty arrays, a missing class). The two classes use the
/// Okabe–Ito colour pair blue / vermilion, which stays distinct under the common colour-vision
/// deficiencies, and also differ in line style (solid / dashed) and are named in a legend, so
/// colour is never the only cue.
public enum SVGChart {
    /// Chart size and binning; the defaults suit an A4 page at two figures per row or one wide.
    public struct Options: Sendable, Equatable {
        /// viewBox size in CSS pixels; the SVG scales to its container width. Default 520 × 340.
        public var width: Double
        public var height: Double
        /// Histogram bins; nil (default) picks Rice's rule 2·n^(1/3), clamped to 8…40, with n the
        /// larger class.
        public var bins: Int?

        public init(width: Double = 520, height: Double = 340, bins: Int? = nil) {
            self.width = width
            self.height = height
            self.bins = bins
        }
    }

    /// A case value to mark with a labelled vertical line.
    public struct Marker: Sendable, Equatable {
        public var value: Double
        public var label: String

        public init(value: Double, label: String) {
            self.value = value
            self.label = label
        }
    }

    static let sameColour = "#0072B2"
    static let differentColour = "#D55E00"
    static let sameDash = ""
    static let differentDash = "6 3"

    // MARK: Histograms

    /// Score distributions of same-speaker (`targets`) and different-speaker (`nontargets`)
    /// comparisons on shared bins, each class normalised to proportions (so classes of very
    /// different sizes compare), with the case score marked. Either class may be empty (e.g. a
    /// cohort of different speakers only); non-finite scores are left out.
    public static func histograms(targets: [Double], nontargets: [Double], marker: Marker?,
                                  targetLabel: String = "same speaker",
                                  nontargetLabel: String = "different speakers",
                                  xTitle: String = "similarity score (cosine)",
                                  description: String = "Score distributions of same-speaker and different-speaker comparisons",
                                  options: Options = Options()) -> String {
        guard let h = histogram(targets: targets, nontargets: nontargets, marker: marker?.value, bins: options.bins) else {
            return noData(options: options, description: description,
                          message: "No scores to plot.")
        }
        var legend: [LegendItem] = []
        if h.targetCount > 0 {
            legend.append(LegendItem(colour: sameColour, dash: sameDash,
                                     label: "\(targetLabel) (n\(Format.nbsp)=\(Format.nbsp)\(Format.integer(h.targetCount)))"))
        }
        if h.nontargetCount > 0 {
            legend.append(LegendItem(colour: differentColour, dash: differentDash,
                                     label: "\(nontargetLabel) (n\(Format.nbsp)=\(Format.nbsp)\(Format.integer(h.nontargetCount)))"))
        }
        let maxFraction = (h.targetFractions + h.nontargetFractions).max() ?? 1
        let yAxis = PlotFrame.Axis(covering: 0...max(maxFraction * 1.08, 0.01))
        let layout = legendLayout(legend, options: options)
        let frame = standardFrame(x: h.xAxis.range, y: yAxis.range, options: options, legendRows: layout.rows)
        var s = open(options: options, description: description)
        s += frame.axes(xTicks: h.xAxis.ticks.map { ($0, Format.fixed($0, h.xAxis.decimals)) },
                        yTicks: yAxis.ticks.map { ($0, Format.fixed($0, yAxis.decimals)) },
                        xTitle: xTitle, yTitle: "proportion of comparisons")
        s += frame.clipOpen
        if h.targetCount > 0 {
            s += series(stepOutline(edges: h.edges, fractions: h.targetFractions), frame: frame,
                        colour: sameColour, dash: sameDash, fillOpacity: 0.18)
        }
        if h.nontargetCount > 0 {
            s += series(stepOutline(edges: h.edges, fractions: h.nontargetFractions), frame: frame,
                        colour: differentColour, dash: differentDash, fillOpacity: 0.14)
        }
        s += "</svg>"
        if let m = marker, m.value.isFinite { s += frame.marker(at: m.value, label: m.label) }
        s += legendSVG(layout, frame: frame)
        return s + "</svg>"
    }

    /// Shared bins and per-class proportions. `edges` has `bins + 1` increasing values covering
    /// every finite score and the marker; each class's fractions sum to 1 (or are all 0 when the
    /// class has no finite scores). Nil when neither class has a finite score.
    struct Histogram {
        /// The x axis; its range is `edges.first ... edges.last`.
        var xAxis: PlotFrame.Axis
        var edges: [Double]
        var targetFractions: [Double]
        var nontargetFractions: [Double]
        var targetCount: Int
        var nontargetCount: Int
    }

    static func histogram(targets: [Double], nontargets: [Double], marker: Double?, bins: Int?) -> Histogram? {
        let t = targets.filter(\.isFinite), n = nontargets.filter(\.isFinite)
        guard !t.isEmpty || !n.isEmpty else { return nil }
        let xAxis = PlotFrame.Axis(covering: PlotFrame.range(t + n + [marker ?? .nan]))
        let range = xAxis.range
        let count = max(1, bins ?? min(40, max(8, Int((2 * cbrt(Double(max(t.count, n.count)))).rounded()))))
        let width = (range.upperBound - range.lowerBound) / Double(count)
        let edges = (0...count).map { range.lowerBound + Double($0) * width }
        func fractions(_ values: [Double]) -> [Double] {
            var counts = [Double](repeating: 0, count: count)
            for v in values { counts[min(count - 1, max(0, Int((v - range.lowerBound) / width)))] += 1 }
            return values.isEmpty ? counts : counts.map { $0 / Double(values.count) }
        }
        return Histogram(xAxis: xAxis, edges: edges, targetFractions: fractions(t), nontargetFractions: fractions(n),
                         targetCount: t.count, nontargetCount: n.count)
    }

    /// Outline of a histogram as a closed step path: from the baseline at the first edge up and
    /// across every bin and back to the baseline, `2·bins + 2` points.
    static func stepOutline(edges: [Double], fractions: [Double]) -> [Point] {
        var points = [Point(x: edges[0], y: 0)]
        for (i, f) in fractions.enumerated() {
            points.append(Point(x: edges[i], y: f))
            points.append(Point(x: edges[i + 1], y: f))
        }
        points.append(Point(x: edges[edges.count - 1], y: 0))
        return points
    }

    // MARK: Tippett

    /// Tippett plot (Morrison et al. 2021 convention): against log10 LR on the x axis, the
    /// proportion of same-speaker LRs at or below x (rising to the right) and of different-speaker
    /// LRs at or above x (rising to the left). Good LRs keep both curves low around x = 0;
    /// the curves' heights where they cross the other side of 0 are the rates of misleading
    /// evidence. Inputs are log10 LRs; NaN is left out, ±infinity is drawn at the axis ends.
    /// Needs both classes.
    public static func tippett(targetLLRs: [Double], nontargetLLRs: [Double], marker: Marker?,
                               options: Options = Options()) -> String {
        let description = "Tippett plot of likelihood ratios of same-speaker and different-speaker comparisons"
        guard let g = tippettCurves(targetLog10LRs: targetLLRs, nontargetLog10LRs: nontargetLLRs,
                                    marker: marker?.value) else {
            return noData(options: options, description: description,
                          message: "Needs likelihood ratios of both same-speaker and different-speaker comparisons.")
        }
        let layout = legendLayout([
            LegendItem(colour: sameColour, dash: sameDash,
                       label: "same speaker, LR \u{2264} x (n\(Format.nbsp)=\(Format.nbsp)\(Format.integer(g.targetCount)))"),
            LegendItem(colour: differentColour, dash: differentDash,
                       label: "different speakers, LR \u{2265} x (n\(Format.nbsp)=\(Format.nbsp)\(Format.integer(g.nontargetCount)))"),
        ], options: options)
        let frame = standardFrame(x: g.xAxis.range, y: 0...1, options: options, legendRows: layout.rows)
        var s = open(options: options, description: description)
        s += frame.axes(xTicks: g.xAxis.ticks.map { ($0, Format.signed($0, g.xAxis.decimals)) },
                        yTicks: stride(from: 0.0, through: 1.0, by: 0.2).map { ($0, Format.fixed($0, 1)) },
                        xTitle: "log10 likelihood ratio", yTitle: "cumulative proportion")
        s += frame.clipOpen
        if frame.x.contains(0) {
            s += "<line x1=\"\(c(frame.px(0)))\" y1=\"\(c(frame.top))\" x2=\"\(c(frame.px(0)))\" y2=\"\(c(frame.bottom))\" stroke=\"#888\" stroke-width=\"1\" stroke-dasharray=\"2 2\"/>"
        }
        s += series(g.same, frame: frame, colour: sameColour, dash: sameDash, fillOpacity: 0)
        s += series(g.different, frame: frame, colour: differentColour, dash: differentDash, fillOpacity: 0)
        s += "</svg>"
        if let m = marker, !m.value.isNaN { s += frame.marker(at: m.value, label: m.label) }
        s += legendSVG(layout, frame: frame)
        return s + "</svg>"
    }

    /// Tippett step curves in data coordinates over `xRange` (finite; ±infinite LRs sit at its
    /// ends). With m distinct LR values, each curve has `2m + 2` points: one at each end of the
    /// axis and two per value (before and after the step). `same` is non-decreasing in both x and
    /// y from 0 to 1; `different` is non-decreasing in x and non-increasing in y from 1 to 0.
    struct TippettCurves {
        var xAxis: PlotFrame.Axis
        var xRange: ClosedRange<Double> { xAxis.range }
        var same: [Point]
        var different: [Point]
        var targetCount: Int
        var nontargetCount: Int
    }

    static func tippettCurves(targetLog10LRs: [Double], nontargetLog10LRs: [Double], marker: Double?) -> TippettCurves? {
        let t = targetLog10LRs.filter { !$0.isNaN }, n = nontargetLog10LRs.filter { !$0.isNaN }
        guard !t.isEmpty, !n.isEmpty else { return nil }
        // Metrics.tippett gives, per distinct value v_i, the fractions at or above v_i.
        let curve = Metrics.tippett(llrs: TrialScores(targets: t, nontargets: n))
        let values = curve.thresholds  // unit-agnostic: the thresholds are our log10 values
        let finite = values.filter(\.isFinite) + [marker ?? .nan]
        let xAxis = PlotFrame.Axis(covering: PlotFrame.range(finite + [0], minHalfWidth: 1), count: 6)
        let xRange = xAxis.range
        func x(_ v: Double) -> Double { min(max(v, xRange.lowerBound), xRange.upperBound) }
        var same = [Point(x: xRange.lowerBound, y: 0)]
        var different = [Point(x: xRange.lowerBound, y: 1)]
        for (i, v) in values.enumerated() {
            // Same speaker, proportion <= v: 1 - (fraction >= the next value).
            let sameBefore = same[same.count - 1].y
            let sameAt = i + 1 < values.count ? 1 - curve.targetsAtOrAbove[i + 1] : 1
            same.append(Point(x: x(v), y: sameBefore))
            same.append(Point(x: x(v), y: sameAt))
            // Different speakers, proportion >= x: at v it is the fraction >= v, just above v the next.
            different.append(Point(x: x(v), y: curve.nontargetsAtOrAbove[i]))
            different.append(Point(x: x(v), y: i + 1 < values.count ? curve.nontargetsAtOrAbove[i + 1] : 0))
        }
        same.append(Point(x: xRange.upperBound, y: 1))
        different.append(Point(x: xRange.upperBound, y: 0))
        return TippettCurves(xAxis: xAxis, same: same, different: different,
                             targetCount: t.count, nontargetCount: n.count)
    }

    // MARK: DET

    /// Tick positions of the DET axes, as error rates (0.1 % … 50 %).
    static let detTicks: [Double] = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.4, 0.5]

    /// Detection error trade-off curve (Martin et al. 1997): miss rate against false-alarm rate on
    /// probit (normal-deviate) axes from 0.1 % to 50 %, the empirical step curve of
    /// `Metrics.detCurve`, with the ROCCH equal error rate (`Metrics.eer`) marked on the
    /// diagonal. NaN scores are left out. Needs both classes.
    public static func det(targets: [Double], nontargets: [Double], options: Options = Options()) -> String {
        let description = "Detection error trade-off (DET) curve"
        guard let g = detGeometry(targets: targets, nontargets: nontargets) else {
            return noData(options: options, description: description,
                          message: "Needs scores of both same-speaker and different-speaker comparisons.")
        }
        // A square plotting area: both axes have the same probit scale.
        let side = min(options.width - 90, options.height - 90)
        let frame = PlotFrame(x: g.axis, y: g.axis, left: 66, top: 40, width: side, height: side)
        let ticks = detTicks.map { (Metrics.probit($0), Format.fixed($0 * 100, $0 < 0.01 ? 1 : 0)) }
        var s = open(options: options, description: description)
        s += frame.axes(xTicks: ticks, yTicks: ticks, xTitle: "false-alarm rate (%)", yTitle: "miss rate (%)")
        s += frame.clipOpen
        s += "<line x1=\"\(c(frame.left))\" y1=\"\(c(frame.bottom))\" x2=\"\(c(frame.right))\" y2=\"\(c(frame.top))\" stroke=\"#888\" stroke-width=\"1\" stroke-dasharray=\"2 2\"/>"
        s += "<polyline points=\"\(polylinePoints(g.points.map(frame.pixel)))\" fill=\"none\" stroke=\"#222\" stroke-width=\"2\"/>"
        s += "</svg>"
        let e = frame.pixel(Point(x: g.eerProbit, y: g.eerProbit))
        s += "<circle cx=\"\(c(e.x))\" cy=\"\(c(e.y))\" r=\"4.5\" fill=\"#fff\" stroke=\"#111\" stroke-width=\"2\"/>"
        s += "<text x=\"\(c(e.x + 8))\" y=\"\(c(e.y + 14))\" font-size=\"12\" font-weight=\"bold\" fill=\"#111\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">EER \(Format.percent(g.eer, 2))</text>"
        let info = "\(Format.integer(g.targetCount)) same-speaker, \(Format.integer(g.nontargetCount)) different-speaker comparisons"
        s += "<text x=\"\(c(frame.right + 0))\" y=\"\(c(frame.top - 10))\" text-anchor=\"end\" font-size=\"11\" fill=\"#333\">\(Escape.html(info))</text>"
        return s + "</svg>"
    }

    /// DET curve in probit coordinates (x = probit P_fa, y = probit P_miss), one point per
    /// `Metrics.detCurve` point (distinct thresholds + 1), clamped to `axis` widened by one
    /// unit so that the infinite ends stay finite and are clipped at the frame.
    struct DETGeometry {
        var axis: ClosedRange<Double>
        var points: [Point]
        var eer: Double
        var eerProbit: Double
        var targetCount: Int
        var nontargetCount: Int
    }

    static func detGeometry(targets: [Double], nontargets: [Double]) -> DETGeometry? {
        let s = TrialScores(targets: targets.filter { !$0.isNaN }, nontargets: nontargets.filter { !$0.isNaN })
        guard !s.targets.isEmpty, !s.nontargets.isEmpty else { return nil }
        let axis = Metrics.probit(detTicks[0])...Metrics.probit(detTicks[detTicks.count - 1])
        let lo = axis.lowerBound - 1, hi = axis.upperBound + 1
        func clamp(_ v: Double) -> Double { v.isNaN ? lo : min(max(v, lo), hi) }
        let points = Metrics.detCurve(s).map { Point(x: clamp(Metrics.probit($0.pFa)), y: clamp(Metrics.probit($0.pMiss))) }
        let eer = Metrics.eer(s).eer
        return DETGeometry(axis: axis, points: points, eer: eer, eerProbit: clamp(Metrics.probit(eer)),
                           targetCount: s.targets.count, nontargetCount: s.nontargets.count)
    }

    // MARK: Pieces

    /// Plotting area below `legendRows` legend rows, with room for tick labels and axis titles.
    static func standardFrame(x: ClosedRange<Double>, y: ClosedRange<Double>, options: Options, legendRows: Int) -> PlotFrame {
        let top = 23 + legendRowHeight * Double(max(1, legendRows))
        return PlotFrame(x: x, y: y, left: 66, top: top, width: max(40, options.width - 84),
                         height: max(40, options.height - 52 - top))
    }

    static func open(options: Options, description: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(c(options.width)) \(c(options.height))\" width=\"\(c(options.width))\" height=\"\(c(options.height))\" role=\"img\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\"><title>\(Escape.html(description))</title>"
    }

    static func series(_ points: [Point], frame: PlotFrame, colour: String, dash: String, fillOpacity: Double) -> String {
        let attr = polylinePoints(points.map(frame.pixel))
        var s = ""
        if fillOpacity > 0 {
            s += "<polygon points=\"\(attr)\" fill=\"\(colour)\" fill-opacity=\"\(Format.fixed(fillOpacity, 2))\" stroke=\"none\"/>"
        }
        s += "<polyline points=\"\(attr)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\""
        if !dash.isEmpty { s += " stroke-dasharray=\"\(dash)\"" }
        return s + "/>"
    }

    struct LegendItem {
        var colour: String
        var dash: String
        var label: String
    }

    static let legendRowHeight = 17.0
    /// Approximate advance of one character at the legend's 11.5 px size (DejaVu Sans / Arial).
    static let legendCharWidth = 6.4
    static let legendLeft = 66.0

    /// Legend items placed left to right, wrapping onto further rows when the next item would
    /// pass the right edge; a label too long for a whole row is shortened with "…".
    static func legendLayout(_ items: [LegendItem], options: Options) -> (items: [(item: LegendItem, x: Double, row: Int)], rows: Int) {
        let right = options.width - 8
        let sample = 31.0, gap = 18.0
        let maxChars = max(4, Int((right - legendLeft - sample) / legendCharWidth))
        var placed: [(item: LegendItem, x: Double, row: Int)] = []
        var x = legendLeft, row = 0
        for var item in items {
            if item.label.count > maxChars { item.label = String(item.label.prefix(maxChars - 1)) + "\u{2026}" }
            let width = sample + Double(item.label.count) * legendCharWidth
            if x > legendLeft, x + width > right {
                row += 1
                x = legendLeft
            }
            placed.append((item, x, row))
            x += width + gap
        }
        return (placed, row + 1)
    }

    /// The legend rows above the plotting area: a line sample in each series' colour and dash,
    /// then its name.
    static func legendSVG(_ layout: (items: [(item: LegendItem, x: Double, row: Int)], rows: Int), frame: PlotFrame) -> String {
        var s = "<g class=\"legend\" font-size=\"11.5\" fill=\"#222\">"
        for (item, x, row) in layout.items {
            let y = frame.top - 14 - legendRowHeight * Double(layout.rows - 1 - row)
            s += "<line x1=\"\(c(x))\" y1=\"\(c(y))\" x2=\"\(c(x + 26))\" y2=\"\(c(y))\" stroke=\"\(item.colour)\" stroke-width=\"3\""
            if !item.dash.isEmpty { s += " stroke-dasharray=\"\(item.dash)\"" }
            s += "/><text x=\"\(c(x + 31))\" y=\"\(c(y + 4))\">\(Escape.html(item.label))</text>"
        }
        return s + "</g>"
    }

    static func noData(options: Options, description: String, message: String) -> String {
        open(options: options, description: description)
            + "<rect x=\"1\" y=\"1\" width=\"\(c(options.width - 2))\" height=\"\(c(options.height - 2))\" fill=\"#fafafa\" stroke=\"#bbb\" stroke-dasharray=\"4 3\"/>"
            + "<text x=\"\(c(options.width / 2))\" y=\"\(c(options.height / 2))\" text-anchor=\"middle\" font-size=\"13\" fill=\"#555\">\(Escape.html(message))</text></svg>"
    }
}
