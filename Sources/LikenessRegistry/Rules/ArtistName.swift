import Foundation

/// Artist names compare case-insensitively after trimming and collapsing whitespace.
enum ArtistName {
    static func normalised(_ name: String) -> String {
        name.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func same(_ a: String, _ b: String) -> Bool {
        normalised(a).caseInsensitiveCompare(normalised(b)) == .orderedSame
    }
}
