import Foundation

/// `librosa.power_to_db(S, ref, amin, top_db)`: 10 log10(max(S, amin)) - 10 log10(max(ref, amin)), then, if
/// `topDb` is set, every value is raised to at least (max over the WHOLE matrix) - topDb. The clamp depends on
/// the loudest cell of the utterance, so features of a clip change with what else is in it.
/// Defaults are librosa's: ref 1, amin 1e-10, top_db 80.
public struct PowerToDbOptions: Sendable, Equatable {
    public var reference: Float = 1
    public var amin: Float = 1e-10
    public var topDb: Float? = 80

    public init() {}
}

public struct PowerToDb: Sendable {
    public let options: PowerToDbOptions

    public init(options: PowerToDbOptions = PowerToDbOptions()) {
        precondition(options.amin > 0, "amin must be positive")
        precondition((options.topDb ?? 0) >= 0, "top_db must be non-negative")
        self.options = options
    }

    public func apply(_ power: FeatureMatrix) -> FeatureMatrix {
        var out = power
        let amin = options.amin
        let offset = 10 * log10(max(options.reference, amin))
        // 10 log10(x) as (10 / ln 10) ln(x): glibc's logf is several times faster than log10f.
        let decibelsPerNeper = Float(10 / M_LN10)
        var peak = -Float.infinity
        out.values.withUnsafeMutableBufferPointer { v in
            for i in v.indices {
                v[i] = decibelsPerNeper * log(max(v[i], amin)) - offset
                peak = max(peak, v[i])
            }
            if let topDb = options.topDb {
                let floor = peak - topDb
                for i in v.indices { v[i] = max(v[i], floor) }
            }
        }
        return out
    }
}
