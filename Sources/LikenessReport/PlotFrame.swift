import Foundation

/// A point in data or pixel coordinates.
struct Point: Equatable {
    var x: Double
    var y: Double
}

/// Maps a data rectangle onto a pixel rectangle and draws axes, ticks and grid as SVG.
///
/// Contract: the ranges must be finite and non-empty (`PlotFrame.range` makes them so); pixel
/// coordinates are clamped into the frame's surroundings and printed with one decimal, and a
/// non-finite value can never reach the output (`coordinate` prints it as the frame edge).
struct PlotFrame {
    var x: ClosedRange<Double>
    var y: ClosedRange<Double>
    /// Pixel rectangle of the plotting area (SVG y grows downwards).
    var left: Double, top: Double, width: Double, height: Double

    var right: Double { left + width }
    var bottom: Double { top + height }

    func px(_ v: Double) -> Double {
        let t = (v - x.lowerBound) / (x.upperBound - x.lowerBound)
        return clampPixel(left + t * width, left, right)
    }

    func py(_ v: Double) -> Double {
        let t = (v - y.lowerBound) / (y.upperBound - y.lowerBound)
        return clampPixel(bottom - t * height, top, bottom)
    }

    /// Keeps pixels finite and near the frame (one frame size of slack, so clipping by the
    /// nested plot `<svg>` still shows the direction of a curve leaving the frame).
    private func clampPixel(_ p: Double, _ lo: Double, _ hi: Double) -> Double {
        if p.isNaN { return lo }
        let slack = hi - lo
        return min(max(p, lo - slack), hi + slack)
    }

    func pixel(_ p: Point) -> Point { Point(x: px(p.x), y: py(p.y)) }

    /// A finite, non-degenerate range covering `values` (non-finite ones ignored), padded by
    /// `pad` of its span on each side. A single value `v` gets ±max(5 % of |v|, `minHalfWidth`);
    /// no finite values give `fallback`.
    static func range(_ values: [Double], pad: Double = 0.03, minHalfWidth: Double = 0.05,
                      fallback: ClosedRange<Double> = 0...1) -> ClosedRange<Double> {
        let finite = values.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else { return fallback }
        if hi - lo <= 0 {
            let h = max(abs(lo) * 0.05, minHalfWidth)
            return (lo - h)...(hi + h)
        }
        let p = (hi - lo) * pad
        return (lo - p)...(hi + p)
    }

    /// An axis that starts and ends on a round-number tick: steps of 1, 2 or 5 × 10^k chosen
    /// for about `count` intervals over `r`, the range widened outwards to whole steps, a tick
    /// at every step, and the number of decimals the tick labels need.
    struct Axis {
        var range: ClosedRange<Double>
        var ticks: [Double]
        var decimals: Int

        init(covering r: ClosedRange<Double>, count: Int = 5) {
            let span = r.upperBound - r.lowerBound
            guard span > 0, span.isFinite else {
                range = r
                ticks = [r.lowerBound]
                decimals = 2
                return
            }
            let raw = span / Double(max(1, count))
            let magnitude = pow(10, floor(log10(raw)))
            let f = raw / magnitude
            let step = (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * magnitude
            // The tolerance keeps a bound that is already a multiple of the step (up to
            // rounding) from being pushed out one more step.
            let first = floor(r.lowerBound / step + 1e-9), last = ceil(r.upperBound / step - 1e-9)
            ticks = stride(from: first, through: last, by: 1).map { i in i == 0 ? 0 : i * step }
            range = (first * step)...(last * step)
            decimals = max(0, Int(-floor(log10(step) + 1e-9)))
        }
    }

    // MARK: SVG

    /// Grid lines, frame, tick labels and axis titles. `xTicks`/`yTicks` give (data value, label).
    func axes(xTicks: [(Double, String)], yTicks: [(Double, String)], xTitle: String, yTitle: String) -> String {
        var s = "<g class=\"grid\" stroke=\"#d9d9d9\" stroke-width=\"0.7\">"
        for (v, _) in xTicks { s += line(px(v), top, px(v), bottom) }
        for (v, _) in yTicks { s += line(left, py(v), right, py(v)) }
        s += "</g>"
        s += "<rect x=\"\(c(left))\" y=\"\(c(top))\" width=\"\(c(width))\" height=\"\(c(height))\" fill=\"none\" stroke=\"#555\" stroke-width=\"1\"/>"
        s += "<g font-size=\"11\" fill=\"#333\">"
        for (v, label) in xTicks {
            s += "<text x=\"\(c(px(v)))\" y=\"\(c(bottom + 15))\" text-anchor=\"middle\">\(Escape.html(label))</text>"
        }
        for (v, label) in yTicks {
            s += "<text x=\"\(c(left - 6))\" y=\"\(c(py(v) + 4))\" text-anchor=\"end\">\(Escape.html(label))</text>"
        }
        s += "</g>"
        s += "<text x=\"\(c(left + width / 2))\" y=\"\(c(bottom + 34))\" text-anchor=\"middle\" font-size=\"12\" fill=\"#222\">\(Escape.html(xTitle))</text>"
        let yMid = top + height / 2
        s += "<text x=\"\(c(left - 44))\" y=\"\(c(yMid))\" text-anchor=\"middle\" font-size=\"12\" fill=\"#222\" transform=\"rotate(-90 \(c(left - 44)) \(c(yMid)))\">\(Escape.html(yTitle))</text>"
        return s
    }

    /// Opens a nested `<svg>` over the plotting area: browsers clip its content to the area, so
    /// curves that run off the axes end at the frame. Content inside uses the outer coordinates
    /// (the viewBox equals the area). Close with `</svg>`.
    var clipOpen: String {
        "<svg x=\"\(c(left))\" y=\"\(c(top))\" width=\"\(c(width))\" height=\"\(c(height))\" viewBox=\"\(c(left)) \(c(top)) \(c(width)) \(c(height))\" overflow=\"hidden\">"
    }

    /// A vertical marker line at data x `value` with a label at the top, placed on whichever side
    /// of the line has room.
    /// A value beyond the axis (e.g. an infinite LR) is drawn at the axis end.
    func marker(at value: Double, label: String) -> String {
        let x = px(min(max(value, self.x.lowerBound), self.x.upperBound))
        let rightSide = x < left + width * 0.6
        let tx = rightSide ? x + 5 : x - 5
        return "<g class=\"marker\"><line x1=\"\(c(x))\" y1=\"\(c(top))\" x2=\"\(c(x))\" y2=\"\(c(bottom))\" stroke=\"#111\" stroke-width=\"1.8\"/>"
            + "<text x=\"\(c(tx))\" y=\"\(c(top + 14))\" text-anchor=\"\(rightSide ? "start" : "end")\" font-size=\"12\" font-weight=\"bold\" fill=\"#111\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">\(Escape.html(label))</text></g>"
    }

    private func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double) -> String {
        "<line x1=\"\(c(x1))\" y1=\"\(c(y1))\" x2=\"\(c(x2))\" y2=\"\(c(y2))\"/>"
    }
}

/// A pixel coordinate with one decimal. Non-finite input (which the frame never produces) prints
/// as 0 rather than "nan", so the SVG stays valid whatever happens upstream.
func c(_ v: Double) -> String {
    guard v.isFinite else { return "0" }
    let s = String(format: "%.1f", v)
    return s == "-0.0" ? "0.0" : s
}

/// `points` (already in pixels) as an SVG `points` attribute, rounded to 0.1 px. Repeated points
/// are dropped, and so is the middle point of a horizontal or vertical run when it lies between
/// its neighbours: that changes no shape, and keeps big trial lists from producing megabytes of SVG.
func polylinePoints(_ points: [Point]) -> String {
    var kept: [Point] = []
    for p in points {
        let q = Point(x: (p.x * 10).rounded() / 10, y: (p.y * 10).rounded() / 10)
        if let last = kept.last, last == q { continue }
        if kept.count >= 2 {
            let a = kept[kept.count - 2], b = kept[kept.count - 1]
            let vertical = a.x == b.x && b.x == q.x && (a.y - b.y) * (b.y - q.y) >= 0
            let horizontal = a.y == b.y && b.y == q.y && (a.x - b.x) * (b.x - q.x) >= 0
            if vertical || horizontal { kept.removeLast() }
        }
        kept.append(q)
    }
    return kept.map { "\(c($0.x)),\(c($0.y))" }.joined(separator: " ")
}
