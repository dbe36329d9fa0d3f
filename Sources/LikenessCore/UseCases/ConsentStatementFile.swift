import Foundation

/// A consent statement kept in a file (`likeness artists consent ID --file F`): read as UTF-8 text, trimmed.
/// Errors name the file. The statement is stored in the registry (never in the audit log).
public enum ConsentStatementFile {
    /// A statement is a page or two of text; anything larger is most likely the wrong file (a recording, a PDF).
    public static let maximumBytes = 64 * 1024

    public static func read(_ path: String) throws -> String {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LikenessError.notFound("consent file \(path) does not exist")
        }
        guard !isDirectory.boolValue else { throw LikenessError.invalidInput("consent file \(path) is a folder, not a text file") }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw LikenessError.invalidInput("cannot read consent file \(path): \(error.localizedDescription)")
        }
        guard data.count <= maximumBytes else {
            throw LikenessError.invalidInput("consent file \(path) is \(data.count) bytes; a consent statement is text of at most \(maximumBytes / 1024) KiB")
        }
        guard let text = String(data: data, encoding: .utf8), !text.contains("\u{0}") else {
            throw LikenessError.invalidInput("consent file \(path) is not UTF-8 text")
        }
        let statement = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !statement.isEmpty else { throw LikenessError.invalidInput("consent file \(path) is empty") }
        return statement
    }
}
