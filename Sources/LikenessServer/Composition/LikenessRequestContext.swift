import HTTPTypes
import Hummingbird
import HummingbirdAuth

/// Each request's context: Hummingbird's core storage and the API token that signed the request (set by
/// `TokenAuthenticator`; nil on the public routes).
public struct LikenessRequestContext: AuthRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: APIToken?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
    }

    /// The signed-in token; only routes behind `TokenAuthenticator` call it.
    func token() throws -> APIToken {
        guard let identity else { throw APIError(.unauthorized, "sign in: send Authorization: Bearer TOKEN") }
        return identity
    }
}
