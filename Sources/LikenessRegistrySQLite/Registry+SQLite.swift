import Foundation
import LikenessRegistry

extension Registry {
    /// A registry in the SQLite file at `url` (created and migrated by default; see the options).
    public init(sqliteAt url: URL, options: SQLiteRegistryStore.Options = .init()) throws {
        self.init(store: try SQLiteRegistryStore(url: url, options: options))
    }
}
