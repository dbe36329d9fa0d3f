import LikenessTestSupport
import Foundation
import Testing
@testable import LikenessReport
import LikenessScoring

@Suite struct HistogramTests {
    @Test func binsCoverEveryScoreAndSumToOne() throws {
        var rng = SplitMix64(seed: 1)
        let t = rng.cosines(300, mean: 0.8, sd: 0.05), n = rng.cosines(3000, mean: 0.5, sd: 0.1)
        let h = try #require(SVGChart.histogram(targets: t, nontargets: n, marker: 0.97, bins: 25))
        #expect(h.edges.count == 26)
        #expect(zip(h.edges, h.edges.dropFirst()).allSatisfy { $0 < $1 })
        #expect(h.edges.first! <= (t + n).min()! && h.edges.last! >= max((t + n).max()!, 0.97))
        #expect(abs(h.targetFractions.reduce(0, +) - 1) < 1e-12)
        #expect(abs(h.nontargetFractions.reduce(0, +) - 1) < 1e-12)
        #expect(h.targetCount == 300 && h.nontargetCount == 3000)
        let outline = SVGChart.stepOutline(edges: h.edges, fractions: h.targetFractions)
        #expect(outline.count == 2 * 25 + 2)
        #expect(outline.first!.y == 0 && outline.last!.y == 0)
        // Rice's rule: 2·3000^(1/3) = 28.8 -> 29 bins.
        #expect(SVGChart.histogram(targets: t, nontargets: n, marker: nil, bins: nil)!.edges.count == 30)
    }

    @Test func degenerateInputs() throws {
        // Identical scores: the range is widened, everything lands in one bin.
        let same = try #require(SVGChart.histogram(targets: [0.5, 0.5], nontargets: [0.5], marker: 0.5, bins: 10))
        #expect(same.edges.first! < 0.5 && same.edges.last! > 0.5)
        #expect(same.targetFractions.filter { $0 > 0 } == [1])
        // One class only: the other has all-zero fractions.
        let one = try #require(SVGChart.histogram(targets: [], nontargets: [0.1, 0.2, .nan, .infinity], marker: nil, bins: 8))
        #expect(one.targetCount == 0 && one.nontargetCount == 2)
        #expect(one.targetFractions.allSatisfy { $0 == 0 })
        #expect(SVGChart.histogram(targets: [], nontargets: [.nan], marker: 0.3, bins: nil) == nil)
    }
}

@Suite struct TippettTests {
    /// log10 LRs: targets 1, 2; nontargets -1, 0, 1. Distinct values -1, 0, 1, 2 (m = 4).
    @Test func handExample() throws {
        let g = try #require(SVGChart.tippettCurves(targetLog10LRs: [1, 2], nontargetLog10LRs: [-1, 0, 1], marker: nil))
        #expect(g.same.count == 2 * 4 + 2 && g.different.count == 2 * 4 + 2)
        // Same speaker, proportion <= x: 0 up to 1, then 1/2, then 1 from 2.
        #expect(g.same.map(\.y) == [0, 0, 0, 0, 0, 0, 0.5, 0.5, 1, 1])
        // Different speakers, proportion >= x: 1 up to -1, 2/3 up to 0, 1/3 up to 1, then 0.
        let third: Double = 1.0 / 3, twoThirds: Double = 2.0 / 3
        let expectedDifferent: [Double] = [1, 1, twoThirds, twoThirds, third, third, 0, 0, 0, 0]
        #expect(g.different.map(\.y) == expectedDifferent)
        let innerX: [Double] = Array(g.same.map(\.x).dropFirst().dropLast())
        #expect(innerX == [-1, -1, 0, 0, 1, 1, 2, 2])
        #expect(g.xRange.contains(-1) && g.xRange.contains(2))
    }

    @Test func monotoneCurvesOnRandomDataWithInfinities() throws {
        var rng = SplitMix64(seed: 5)
        let t = rng.cosines(500, mean: 0.6, sd: 0.3).map { $0 * 3 } + [.infinity]
        let n = rng.cosines(2000, mean: -0.5, sd: 0.3).map { $0 * 3 } + [-.infinity, .nan]
        let g = try #require(SVGChart.tippettCurves(targetLog10LRs: t, nontargetLog10LRs: n, marker: 9))
        let distinct = Set(t + n.filter { !$0.isNaN }).count
        #expect(g.same.count == 2 * distinct + 2 && g.different.count == 2 * distinct + 2)
        for curve in [g.same, g.different] {
            #expect(zip(curve, curve.dropFirst()).allSatisfy { $0.x <= $1.x })
            #expect(curve.allSatisfy { $0.x.isFinite && $0.y.isFinite && g.xRange.contains($0.x) })
        }
        #expect(zip(g.same, g.same.dropFirst()).allSatisfy { $0.y <= $1.y })
        #expect(zip(g.different, g.different.dropFirst()).allSatisfy { $0.y >= $1.y })
        #expect(g.same.first!.y == 0 && g.same.last!.y == 1 && g.different.first!.y == 1 && g.different.last!.y == 0)
        #expect(g.xRange.contains(9))
    }

    @Test func needsBothClasses() {
        #expect(SVGChart.tippettCurves(targetLog10LRs: [], nontargetLog10LRs: [1], marker: nil) == nil)
        let svg = SVGChart.tippett(targetLLRs: [1, 2], nontargetLLRs: [.nan], marker: nil)
        #expect(svg.contains("Needs likelihood ratios") && XMLCheck.parse(svg).error == nil)
    }
}

@Suite struct DETTests {
    @Test func onePointPerThresholdAndMonotone() throws {
        var rng = SplitMix64(seed: 9)
        let t = rng.cosines(400, mean: 0.8, sd: 0.06), n = rng.cosines(4000, mean: 0.55, sd: 0.09)
        let g = try #require(SVGChart.detGeometry(targets: t, nontargets: n))
        #expect(g.points.count == Set(t + n).count + 1)
        #expect(g.points.count == Metrics.detCurve(TrialScores(targets: t, nontargets: n)).count)
        // From accept-all to reject-all: false alarms fall, misses rise.
        #expect(zip(g.points, g.points.dropFirst()).allSatisfy { $0.x >= $1.x && $0.y <= $1.y })
        #expect(g.points.allSatisfy { $0.x.isFinite && $0.y.isFinite })
        #expect(g.eer == Metrics.eer(TrialScores(targets: t, nontargets: n)).eer)
        #expect(g.eer > 0.01 && g.eer < 0.2)
        #expect(abs(g.eerProbit - Metrics.probit(g.eer)) < 1e-12)
    }

    @Test func identicalScoresAndPerfectSeparation() throws {
        let tie = try #require(SVGChart.detGeometry(targets: [0.5, 0.5], nontargets: [0.5]))
        #expect(tie.points.count == 2 && tie.eer == 0.5)
        let perfect = try #require(SVGChart.detGeometry(targets: [0.9, 0.8], nontargets: [0.1, 0.2]))
        #expect(perfect.eer == 0 && perfect.eerProbit.isFinite)
        #expect(SVGChart.detGeometry(targets: [], nontargets: [0.1]) == nil)
    }

    @Test func svgTicksAndEERLabel() throws {
        let svg = SVGChart.det(targets: [0.9, 0.7, 0.6], nontargets: [0.1, 0.65, 0.3, 0.2])
        let xml = XMLCheck.parse(svg)
        #expect(xml.error == nil)
        for label in ["0.1", "0.2", "0.5", "1", "2", "5", "10", "20", "40", "50"] {
            #expect(svg.contains(">\(label)</text>"))
        }
        #expect(xml.text.contains("EER"))
        #expect(xml.polylines.count == 1)
    }
}

@Suite struct SVGOutputTests {
    /// Every chart, including degenerate inputs, is well-formed and has only finite coordinates.
    @Test func wellFormedAndFinite() {
        var rng = SplitMix64(seed: 2)
        let t = rng.cosines(200, mean: 0.8, sd: 0.05), n = rng.cosines(900, mean: 0.5, sd: 0.1)
        let marker = SVGChart.Marker(value: 0.83, label: "this clip: 0.830")
        let charts = [
            SVGChart.histograms(targets: t, nontargets: n, marker: marker),
            SVGChart.histograms(targets: [], nontargets: [], marker: marker),
            SVGChart.histograms(targets: [0.4], nontargets: [0.4], marker: SVGChart.Marker(value: .nan, label: "x")),
            SVGChart.histograms(targets: [], nontargets: n, marker: nil),
            SVGChart.tippett(targetLLRs: t.map { $0 * 4 }, nontargetLLRs: n.map { $0 * -4 },
                             marker: SVGChart.Marker(value: .infinity, label: "inf")),
            SVGChart.tippett(targetLLRs: [0, 0], nontargetLLRs: [0], marker: SVGChart.Marker(value: 0, label: "0")),
            SVGChart.tippett(targetLLRs: [], nontargetLLRs: [], marker: nil),
            SVGChart.det(targets: t, nontargets: n),
            SVGChart.det(targets: [1], nontargets: [1]),
            SVGChart.det(targets: [.nan], nontargets: [0.2]),
        ]
        for svg in charts {
            let xml = XMLCheck.parse(svg)
            #expect(xml.error == nil, "\(xml.error ?? "")")
            #expect(xml.elements["svg", default: 0] >= 1)
            for a in xml.attributes where numericAttributes.contains(a.name) {
                #expect(finiteNumbers(in: a.value) != nil, "\(a.element) \(a.name)=\(a.value)")
            }
        }
    }

    /// The drawn polylines keep the monotone shape of the Tippett curves (pixel y grows downwards).
    @Test func tippettPolylinesAreMonotoneInPixels() throws {
        var rng = SplitMix64(seed: 4)
        let svg = SVGChart.tippett(targetLLRs: rng.cosines(300, mean: 0.4, sd: 0.3).map { $0 * 3 },
                                   nontargetLLRs: rng.cosines(600, mean: -0.4, sd: 0.3).map { $0 * 3 }, marker: nil)
        let lines = XMLCheck.parse(svg).polylines
        #expect(lines.count == 2)
        let same = points(try #require(lines[0]["points"])), different = points(try #require(lines[1]["points"]))
        #expect(same.count >= 4 && different.count >= 4)
        #expect(zip(same, same.dropFirst()).allSatisfy { $0.x <= $1.x && $0.y >= $1.y })
        #expect(zip(different, different.dropFirst()).allSatisfy { $0.x <= $1.x && $0.y <= $1.y })
    }

    @Test func polylineSimplificationKeepsCorners() {
        let p = [Point(x: 0, y: 0), Point(x: 1, y: 0), Point(x: 2, y: 0), Point(x: 2, y: 0),
                 Point(x: 2, y: 1), Point(x: 2, y: 3), Point(x: 3, y: 3), Point(x: 3, y: 1)]
        #expect(polylinePoints(p) == "0.0,0.0 2.0,0.0 2.0,3.0 3.0,3.0 3.0,1.0")
        // A vertical spike that turns back is kept.
        #expect(polylinePoints([Point(x: 0, y: 0), Point(x: 0, y: 5), Point(x: 0, y: 2)]) == "0.0,0.0 0.0,5.0 0.0,2.0")
    }
}

@Suite struct LegendTests {
    @Test func wrapsAndShortensToFitTheWidth() {
        let options = SVGChart.Options()
        let short = SVGChart.LegendItem(colour: "#000", dash: "", label: "same speaker (n = 800)")
        let long = SVGChart.LegendItem(colour: "#000", dash: "", label: String(repeating: "x", count: 300))
        #expect(SVGChart.legendLayout([short, short], options: options).rows == 1)
        let layout = SVGChart.legendLayout([short, long, short], options: options)
        #expect(layout.rows == 3)
        #expect(layout.items.map(\.row) == [0, 1, 2])
        for placed in layout.items {
            let end = placed.x + 31 + Double(placed.item.label.count) * SVGChart.legendCharWidth
            #expect(end <= options.width - 8)
        }
        #expect(layout.items[1].item.label.hasSuffix("\u{2026}"))
    }
}

@Suite struct AxisTests {
    @Test func axisEndsOnTicksWithOneStep() {
        for (lo, hi) in [(-11.3, 7.6), (0.21, 0.97), (0, 0.187), (-3.0, 3.0), (0.4999, 0.5001)] {
            let a = PlotFrame.Axis(covering: lo...hi, count: 6)
            #expect(a.range.lowerBound <= lo && a.range.upperBound >= hi)
            #expect(a.ticks.first == a.range.lowerBound && a.ticks.last == a.range.upperBound)
            let steps = zip(a.ticks, a.ticks.dropFirst()).map { $1 - $0 }
            #expect(steps.allSatisfy { abs($0 - steps[0]) < 1e-9 * max(1, abs(steps[0])) })
            #expect(a.ticks.count >= 3 && a.ticks.count <= 13)
        }
        // -11.3 ... 7.6 over ~6 intervals: step 5, axis -15 ... 10.
        let t = PlotFrame.Axis(covering: -11.3...7.6, count: 6)
        #expect(t.ticks == [-15, -10, -5, 0, 5, 10] && t.decimals == 0)
        #expect(PlotFrame.Axis(covering: 0.21...0.97).ticks.count == 5)  // 0.2 ... 1.0 by 0.2
    }
}
