import Foundation
import LikenessRegistry
import LikenessRegistrySQLite
import Testing

/// A reader that started before an erasure pins the old pages (its snapshot): the erasure says so instead
/// of reporting a clean success, and `scrubErasedData` finishes the job once the reader has gone.
@Suite("Erasure while another process reads")
struct ErasureScrubTests {
    @Test func aPinnedReaderMakesErasureSaySoAndScrubFinishesLater() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        let url = temp.registryURL
        let name = "Zephyrine Oakhollow"
        _ = try await Registry(sqliteAt: url).enroll(artistID: nil, name: name, consent: "Zephyrine agrees",
                                                     clips: Fixtures.clips(seed: 3, count: 2), toolVersion: Fixtures.tool)
        _ = try await Registry(sqliteAt: url).enroll(artistID: "keep", name: "Keeper", consent: nil,
                                                     clips: Fixtures.clips(seed: 4, count: 1), toolVersion: Fixtures.tool)
        // Another process (the sqlite3 shell) opens a read transaction and keeps it.
        let reader = Process(), input = Pipe()
        reader.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        reader.arguments = ["sqlite3", url.path]
        reader.standardInput = input
        reader.standardOutput = FileHandle.nullDevice
        try reader.run()
        input.fileHandleForWriting.write(Data("BEGIN; SELECT count(*) FROM artist;\n".utf8))
        try await Task.sleep(for: .seconds(1)) // the shell reads its input and takes its snapshot

        let registry = try Registry(sqliteAt: url, options: .init(busyTimeout: 0.5))
        let error = await #expect(throws: RegistryError.self) {
            try await registry.remove(id: "zephyrine-oakhollow", toolVersion: Fixtures.tool)
        }
        #expect(error?.description.contains("another process is still reading") == true, "\(String(describing: error))")
        #expect(error?.description.contains("likeness registry scrub") == true)
        #expect(try await registry.artists().map(\.id) == ["keep"], "the erasure itself is committed")

        input.fileHandleForWriting.write(Data("COMMIT;\n.quit\n".utf8))
        try input.fileHandleForWriting.close()
        reader.waitUntilExit()
        try await registry.store.scrubErasedData()
        for suffix in ["", "-wal"] {
            guard let bytes = FileManager.default.contents(atPath: url.path + suffix) else { continue }
            #expect(bytes.range(of: Data(name.utf8)) == nil, "the name is gone from registry\(suffix) after the scrub")
            #expect(bytes.range(of: Data("Zephyrine agrees".utf8)) == nil)
        }
        #expect(try await registry.verify().ok)
    }
}
