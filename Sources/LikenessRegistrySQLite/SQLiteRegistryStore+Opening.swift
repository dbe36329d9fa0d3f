import Foundation
import GRDB
import LikenessRegistry
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SQLiteRegistryStore {
    /// Opens the queue, waiting out a concurrent opener: switching a new file to WAL takes an exclusive lock
    /// that SQLite's busy timeout does not cover, so two processes creating the registry at once can see
    /// SQLITE_BUSY here.
    static func openQueue(_ path: String, busyTimeout: TimeInterval) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.label = "likeness.registry"
        configuration.prepareDatabase { db in
            // Zero deleted content so erased artists do not survive in free pages.
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        let deadline = Date().addingTimeInterval(busyTimeout)
        while true {
            do {
                return try DatabaseQueue(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
    }

    /// Creates a missing registry atomically: the schema is written to a private temporary file in the same
    /// folder, which is then linked to `url`. A file at `url` is therefore always a complete registry, and a
    /// zero-byte one means it was emptied (`refuseEmptyFile`). Two processes creating it at once: the
    /// first link wins and the other uses that file.
    static func createIfNeeded(_ url: URL, create: Bool, busyTimeout: TimeInterval) throws {
        let path = url.path
        if FileManager.default.fileExists(atPath: path) { return }
        guard create else { throw RegistryError.registryNotFound(location: path) }
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw RegistryError.fileSystem(location: path, reason: "cannot create directory: \(error.localizedDescription)")
        }
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).creating").path
        defer { for suffix in ["", "-wal", "-shm"] { unlink(temporary + suffix) } }
        // Create the file ourselves so it is private from the first byte; SQLite gives the -wal and
        // -shm files the same mode as the database.
        let descriptor = open(temporary, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor < 0 { throw RegistryError.fileSystem(location: path, reason: String(cString: strerror(errno))) }
        // The umask can only remove bits; fchmod makes the mode exactly 0600.
        let changed = fchmod(descriptor, 0o600)
        close(descriptor)
        if changed != 0 { throw RegistryError.fileSystem(location: path, reason: String(cString: strerror(errno))) }
        do {
            let queue = try openQueue(temporary, busyTimeout: busyTimeout)
            try migrate(queue)
            try queue.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
            try queue.close()
        } catch {
            throw RegistryError.fileSystem(location: path, reason: "cannot create the registry: \(error)")
        }
        if link(temporary, path) != 0, errno != EEXIST {
            throw RegistryError.fileSystem(location: path, reason: String(cString: strerror(errno)))
        }
    }

    /// A registry file of zero bytes was emptied or truncated (`createIfNeeded` never leaves one): refusing it
    /// keeps SQLite from treating it as a new, empty registry.
    static func refuseEmptyFile(_ url: URL) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
        if size == 0 {
            throw RegistryError.damagedStorage(location: url.path, reason: "the file is empty (0 bytes): it was truncated or emptied")
        }
    }

    /// `PRAGMA quick_check`: every page and record is well formed (it skips index-to-table consistency,
    /// which `likeness registry verify` checks). Milliseconds for thousands of artists.
    static func checkIntegrity(_ database: DatabaseQueue, location: String) throws {
        let rows = try database.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check") }
        guard rows == ["ok"] else {
            let shown = rows.prefix(3).joined(separator: "; ")
            throw RegistryError.damagedStorage(location: location, reason: "SQLite's integrity check fails (\(shown))")
        }
    }

    /// Refuses foreign SQLite files and registries migrated by a newer likeness; returns the number of
    /// migrations applied to the file.
    static func checkCompatible(_ database: DatabaseQueue, location: String) throws -> Int {
        try database.read { db in
            let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            let userVersion = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
            // grdb_migrations alone is a registry another process is creating right now: the migrator commits
            // that table before the first migration (which sets application_id) commits.
            let tableCount = try Int.fetchOne(
                db, sql: """
                    SELECT count(*) FROM sqlite_master
                    WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'
                    """) ?? 0
            if applicationID != RegistrySchema.applicationID, applicationID != 0 || tableCount > 0 {
                throw RegistryError.notARegistry(location: location, reason: "it is another application's SQLite database")
            }
            let migrator = RegistrySchema.migrator
            let applied = try migrator.appliedIdentifiers(db)
            let unknown = applied.subtracting(migrator.migrations)
            if userVersion > RegistrySchema.version || !unknown.isEmpty {
                throw RegistryError.newerSchema(
                    location: location, found: max(userVersion, applied.count), supported: RegistrySchema.version)
            }
            return applied.count
        }
    }

    static func migrate(_ database: DatabaseQueue) throws {
        let migrator = RegistrySchema.migrator
        var attempt = 1
        while true {
            do {
                try migrator.migrate(database)
                return
            } catch {
                // Two processes opening a fresh registry can both decide a migration is pending; the
                // loser's CREATE TABLE then fails. If the schema is complete now, nothing is left to do.
                if try database.read({ try migrator.hasCompletedMigrations($0) }) { return }
                if attempt == 3 { throw error }
                attempt += 1
            }
        }
    }
}
