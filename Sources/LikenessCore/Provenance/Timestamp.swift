import Foundation

/// UTC ISO 8601 timestamps, one formatter for the whole tool (the formatter is expensive to create).
public enum Timestamp {
    nonisolated(unsafe) private static let formatter = ISO8601DateFormatter()
    private static let lock = NSLock()

    /// "2026-11-30T10:00:00Z".
    public static func seconds(_ date: Date = Date()) -> String {
        lock.lock(); defer { lock.unlock() }
        return formatter.string(from: date)
    }
}
