import Foundation
import LikenessCore
import Testing

/// `likeness artists consent --file`: the statement's file is read as UTF-8 text; every refusal names the file.
@Suite struct ConsentStatementFileTests {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("likeness-consent-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ data: Data) throws -> String {
        let url = dir.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    @Test func readsTrimmedUTF8Text() throws {
        let path = try write("ok.txt", Data("\n  Björk agrees (form 3)  \n".utf8))
        #expect(try ConsentStatementFile.read(path) == "Björk agrees (form 3)")
    }

    @Test func refusalsNameTheFile() throws {
        let cases: [(String, String)] = [
            (dir.appendingPathComponent("missing.txt").path, "does not exist"),
            (dir.path, "is a folder"),
            (try write("empty.txt", Data(" \n\t".utf8)), "is empty"),
            (try write("binary.wav", Data([0x52, 0x49, 0x46, 0x46, 0x00, 0xFF, 0xFE])), "is not UTF-8 text"),
            (try write("big.txt", Data(repeating: 0x61, count: ConsentStatementFile.maximumBytes + 1)), "a consent statement is text of at most 64 KiB"),
        ]
        for (path, reason) in cases {
            let error = #expect(throws: LikenessError.self) { try ConsentStatementFile.read(path) }
            #expect(error?.description.contains(path) == true, "\(error?.description ?? "")")
            #expect(error?.description.contains(reason) == true, "\(error?.description ?? "")")
        }
    }
}
