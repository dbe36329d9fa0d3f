import Foundation

/// UTC timestamps as the registry writes them (ISO 8601, seconds).
enum ServerClock {
    static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
