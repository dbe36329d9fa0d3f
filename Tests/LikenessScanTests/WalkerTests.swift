import Foundation
import LikenessScan
import Testing

@Suite("listing the files of a scan")
struct WalkerTests {
    @Test("folders are walked recursively in byte order; hidden entries skipped; link loops end; files listed once")
    func walk() throws {
        let dir = try Support.temporaryDirectory()
        let fm = FileManager.default
        try fm.createDirectory(at: dir.appendingPathComponent("b/deeper"), withIntermediateDirectories: true)
        for name in ["a.wav", "b/c.flac", "b/deeper/d.mp3", "README.txt", ".hidden.wav"] {
            try Data("x".utf8).write(to: dir.appendingPathComponent(name))
        }
        // A directory link back up (a loop), a link to a file already listed, a file link to itself.
        try fm.createSymbolicLink(atPath: dir.appendingPathComponent("b/deeper/up").path, withDestinationPath: "../..")
        try fm.createSymbolicLink(atPath: dir.appendingPathComponent("z-alias.wav").path, withDestinationPath: "a.wav")
        try fm.createSymbolicLink(atPath: dir.appendingPathComponent("loop.wav").path, withDestinationPath: "loop.wav")
        try fm.createSymbolicLink(atPath: dir.appendingPathComponent("loop.txt").path, withDestinationPath: "loop.txt")
        try fm.createSymbolicLink(atPath: dir.appendingPathComponent("gone.flac").path, withDestinationPath: "nowhere.flac")

        let items = try ScanWalker.items(arguments: [ScanPath(dir.path)])
        let names = items.map { String($0.path.display.dropFirst(dir.path.count + 1)) }
        #expect(names == ["README.txt", "a.wav", "b/c.flac", "b/deeper/d.mp3", "gone.flac", "loop.wav"])
        #expect(items.allSatisfy { $0.origin == .found })
        #expect(items.first { $0.path.display.hasSuffix("loop.wav") }?.problem == "symbolic link loop")
        #expect(items.first { $0.path.display.hasSuffix("gone.flac") }?.problem?.contains("broken symbolic link") == true)
        #expect(items.first { $0.path.display.hasSuffix("README.txt") }?.reportsNonAudio == false,
                "a walked README that is not audio will be ignored")
        #expect(items.first { $0.path.display.hasSuffix("a.wav") }?.reportsNonAudio == true)
    }

    @Test("named files always get a row; missing ones and manifests' relative paths are resolved")
    func namedAndManifest() throws {
        let dir = try Support.temporaryDirectory()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("lists"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: dir.appendingPathComponent("notes.txt"))
        try Data("x".utf8).write(to: dir.appendingPathComponent("one.wav"))
        let manifest = dir.appendingPathComponent("lists/batch.txt")
        try Data("# comment\n../one.wav\r\n\n../missing.wav\n\(dir.path)/notes.txt\n../one.wav\n".utf8).write(to: manifest)

        let items = try ScanWalker.items(arguments: [ScanPath(dir.appendingPathComponent("notes.txt").path)],
                                         manifests: [ScanPath(manifest.path)])
        #expect(items.count == 3, "notes.txt named twice and one.wav listed twice appear once")
        #expect(items.allSatisfy { $0.origin == .named && $0.reportsNonAudio })
        #expect(items[0].path.display.hasSuffix("/notes.txt"))
        #expect(items[1].path.display == dir.path + "/lists/../one.wav")
        #expect(items[1].problem == nil)
        #expect(items[2].problem == "no such file or directory")
        #expect(throws: ScanInputError.self) { try ScanWalker.items(arguments: [], manifests: [ScanPath(dir.path + "/none.txt")]) }
    }

    @Test("a file name that is not UTF-8 is kept as bytes, shown with \\x escapes, and still opens")
    func nonUTF8() throws {
        let dir = try Support.temporaryDirectory()
        let name: [UInt8] = Array("caf".utf8) + [0xE9] + Array(" \u{00FC}.wav".utf8) // Latin-1 é, then valid UTF-8 ü
        let path = try Support.createFile(in: dir, nameBytes: name, contents: Array("payload".utf8))
        #expect(path.string == nil)
        #expect(path.display == dir.path + "/caf\\xE9 ü.wav")

        let items = try ScanWalker.items(arguments: [ScanPath(dir.path)])
        #expect(items.map(\.path) == [path])
        let content = try items[0].path.withOpenablePath { try String(contentsOfFile: $0, encoding: .utf8) }
        #expect(content == "payload")
    }
}
