import Foundation
import HTTPTypes

/// Who may do what (403 otherwise):
/// - admin: everything;
/// - examiner: list and show artists, compare, identify, report; no registry change;
/// - artist: enrol, show, change consent of and erase its own artist only; the list shows only that artist.
enum AccessPolicy {
    /// Compare, identify, report.
    static func requireExaminer(_ token: APIToken, for action: String) throws {
        guard token.role == .admin || token.role == .examiner else {
            throw APIError(.forbidden, "an \(token.role.rawValue) token may not \(action) (admin or examiner tokens may)")
        }
    }

    /// Reading one artist: admin, examiner, or the artist's own token.
    static func requireRead(_ token: APIToken, artistID: String) throws {
        if token.role == .artist && token.artistID != artistID {
            throw APIError(.forbidden, "this artist token belongs to artist \(token.artistID ?? "?"), not \(artistID)")
        }
    }

    /// Changing one artist (enrol, consent, erase): admin, or the artist's own token.
    static func requireManage(_ token: APIToken, artistID: String, action: String) throws {
        switch token.role {
        case .admin: return
        case .examiner: throw APIError(.forbidden, "an examiner token may not \(action) (admin or the artist's own token may)")
        case .artist:
            guard token.artistID == artistID else {
                throw APIError(.forbidden, "this artist token belongs to artist \(token.artistID ?? "?"), not \(artistID)")
            }
        }
    }
}
