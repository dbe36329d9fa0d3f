import Foundation

/// Artist ids: given with `--id`, or the slug of the name.
enum ArtistID {
    /// Letters (any script), digits, `-`, `_`, `.`; 1...128 characters; no leading dot.
    static func isValid(_ id: String) -> Bool {
        guard (1...128).contains(id.count), !id.hasPrefix(".") else { return false }
        return id.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
    }

    /// Slug used as the default id: diacritics folded, lower case, runs of other characters become `-`.
    /// "Björk Guðmundsdóttir" -> "bjork-guðmundsdottir". Letters without a diacritic-free form are kept.
    static func slug(_ name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        var slug = ""
        var pendingDash = false
        for character in folded {
            if character.isLetter || character.isNumber {
                if pendingDash, !slug.isEmpty { slug.append("-") }
                pendingDash = false
                slug.append(character)
            } else {
                pendingDash = true
            }
        }
        return String(slug.prefix(128))
    }

    /// The id to enrol under: `given`, else the slug of `name`; throws when it is not a valid id.
    static func resolve(_ given: String?, name: String) throws -> String {
        let id = given ?? slug(name)
        guard isValid(id) else { throw RegistryError.invalidArtistID(id) }
        return id
    }
}
