import Foundation

/// Registry timestamps: ISO 8601 UTC with milliseconds, fixed width, so that text order is time order.
enum RegistryTimestamp {
    /// Milliseconds are rounded here and appended by hand: the fractional-seconds format style
    /// truncates, so a parsed ".303" (stored as .30299…) would print back as ".302".
    static func now(_ date: Date = Date()) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        let seconds = (milliseconds / 1000).rounded(.down)
        let whole = Date(timeIntervalSince1970: seconds).formatted(Date.ISO8601FormatStyle()) // "…T12:00:00Z"
        let fraction = Int(milliseconds - seconds * 1000)
        return whole.dropLast() + "." + String(format: "%03d", fraction) + "Z"
    }

    /// An ISO 8601 UTC timestamp from outside (an import) re-formatted like `now()`; nil if
    /// unparseable. Fractional seconds are optional on input.
    static func normalised(_ text: String) -> String? {
        let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        guard let date = (try? withFraction.parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text)) else {
            return nil
        }
        return now(date)
    }
}
