import Foundation

/// Escaping for HTML text, attribute values and SVG text (the same five characters in all three).
enum Escape {
    /// Escapes `& < > " '` and replaces control characters that XML forbids (everything below
    /// U+0020 except tab, LF, CR) with U+FFFD, so a hostile or binary file name can neither inject
    /// markup nor make the document unparseable.
    static func html(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value):
                out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// Number formatting for reports: locale-independent (always "." decimals and "," thousands),
/// never prints NaN or infinity as digits.
enum Format {
    /// Non-breaking space, between a number and its unit ("98.5 %").
    static let nbsp = "\u{00A0}"
    /// Typographic minus.
    static let minus = "\u{2212}"

    /// `value` with `digits` decimals; "−" for negatives; "undefined" / "∞" for non-finite.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return nonFinite(value) }
        let s = String(format: "%.\(digits)f", value)
        // "-0.00" is just zero.
        if s.hasPrefix("-") {
            let body = String(s.dropFirst())
            return body.allSatisfy { $0 == "0" || $0 == "." } ? body : minus + body
        }
        return s
    }

    /// Signed with an explicit "+" for positives (log10 LR: the sign is the direction).
    static func signed(_ value: Double, _ digits: Int) -> String {
        let s = fixed(value, digits)
        return value > 0 && value.isFinite && s.contains(where: { $0 != "0" && $0 != "." }) ? "+" + s : s
    }

    static func nonFinite(_ value: Double) -> String {
        value.isNaN ? "undefined" : (value > 0 ? "+∞" : minus + "∞")
    }

    /// Integer with thousands separators: 1234567 -> "1,234,567".
    static func integer(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return n < 0 ? minus + out : out
    }

    /// A fraction as a percentage with `digits` decimals, e.g. 0.985 -> "98.5 %". Rounding never
    /// reaches 0 or 100 unless the value is exactly 0 or 1, so "100 %" always means "all".
    static func percent(_ fraction: Double, _ digits: Int = 1) -> String {
        guard fraction.isFinite else { return nonFinite(fraction) }
        let scale = pow(10, Double(digits))
        var p = (fraction * 100 * scale).rounded() / scale
        let step = 1 / scale
        if fraction > 0, fraction < 1 { p = min(max(p, step), 100 - step) }
        return fixed(p, digits) + nbsp + "%"
    }

    /// Seconds as "12.3 s".
    static func seconds(_ s: Double) -> String { fixed(s, 1) + nbsp + "s" }

    /// Magnitude of a likelihood ratio in words, to two significant figures with thousands
    /// separators: 123.4 -> "120", 1.46 -> "1.5", 5_678 -> "5,700". Used for both LR and 1/LR.
    /// Callers cap it (see `likelihoodRatio`).
    static func magnitude(_ value: Double) -> String {
        guard value.isFinite, value > 0 else { return nonFinite(value) }
        let exponent = Int(floor(log10(value)))
        let unit = pow(10, Double(exponent - 1))  // two significant figures
        let rounded = (value / unit).rounded() * unit
        if rounded >= 10 { return integer(Int(rounded.rounded())) }
        let s = fixed(rounded, 1)
        return s.hasSuffix(".0") ? String(s.dropLast(2)) : s
    }

    /// Bound beyond which an LR is stated only as "more than 1,000,000" (ENFSI's top band):
    /// larger values are not supported by any realistic amount of validation data.
    static let capLog10: Double = 6

    /// The likelihood ratio in words: "about 120", "about 1/120" (favouring the other
    /// proposition), "about 1", "more than 1,000,000", "less than 1/1,000,000", "undefined".
    static func likelihoodRatio(log10LR l: Double) -> String {
        if l.isNaN { return "undefined" }
        let cap = integer(Int(pow(10, capLog10)))
        if l > capLog10 { return "more than " + cap }
        if l < -capLog10 { return "less than 1/" + cap }
        let m = magnitude(pow(10, abs(l)))
        return l >= 0 || m == "1" ? "about " + m : "about 1/" + m
    }

    /// How many times more probable, in words, for sentences like "N times more probable":
    /// "about 120", "more than 1,000,000".
    static func timesMoreProbable(log10LR l: Double) -> String {
        let a = abs(l)
        if a > capLog10 { return "more than " + integer(Int(pow(10, capLog10))) }
        return "about " + magnitude(pow(10, a))
    }
}
