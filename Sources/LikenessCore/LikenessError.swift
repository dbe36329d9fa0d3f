import Foundation

/// Why a use case could not complete, in words for the person who asked. The cases say what kind of problem it
/// is, so an adapter can map them (the CLI prints the message and exits non-zero; a server picks a status).
public enum LikenessError: Error, CustomStringConvertible, LocalizedError, Equatable, Sendable {
    /// The request itself is unusable: a clip that cannot be embedded, a rejected enrolment, an empty list.
    case invalidInput(String)
    /// Something named does not exist: an artist, a voiceprint of the model in use.
    case notFound(String)
    /// The inputs do not fit together: a cohort that is not the calibration's, a model mismatch.
    case conflict(String)

    public var description: String {
        switch self {
        case .invalidInput(let message), .notFound(let message), .conflict(let message): message
        }
    }

    public var errorDescription: String? { description }
}
