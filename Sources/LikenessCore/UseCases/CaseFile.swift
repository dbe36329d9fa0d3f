import Foundation
import LikenessReport

/// A small JSON case file for `likeness report --case-file F`: an object whose keys are those of `CaseDetails`
/// ("case", "exhibit", "examiner", "instructing_party"), each a string, all optional. Strict, because a typo in
/// a key would otherwise print "not stated" in a report for court: errors name the file and the key.
public enum CaseFile {
    /// A case file holds a few short fields; anything larger is the wrong file.
    public static let maximumBytes = 64 * 1024

    public static func read(_ path: String) throws -> CaseDetails {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LikenessError.notFound("case file \(path) does not exist")
        }
        guard !isDirectory.boolValue else { throw LikenessError.invalidInput("case file \(path) is a folder, not a JSON file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LikenessError.invalidInput("cannot read case file \(path)")
        }
        guard data.count <= maximumBytes else {
            throw LikenessError.invalidInput("case file \(path) is \(data.count) bytes; a case file is JSON of at most \(maximumBytes / 1024) KiB")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data), let fields = object as? [String: Any] else {
            throw LikenessError.invalidInput("case file \(path) is not a JSON object (expected {\"case\": \"...\", \"exhibit\": \"...\", \"examiner\": \"...\", \"instructing_party\": \"...\"})")
        }
        let known = CaseDetails.CodingKeys.allCases.map(\.rawValue)
        var values: [CaseDetails.CodingKeys: String] = [:]
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            guard let field = CaseDetails.CodingKeys(rawValue: key) else {
                throw LikenessError.invalidInput("case file \(path): unknown key \"\(key)\" (known keys: \(known.joined(separator: ", ")))")
            }
            if value is NSNull { continue }
            guard let text = value as? String else {
                throw LikenessError.invalidInput("case file \(path): key \"\(key)\" must be a string")
            }
            values[field] = text
        }
        return CaseDetails(caseNumber: values[.caseNumber], exhibit: values[.exhibit], examiner: values[.examiner],
                           instructingParty: values[.instructingParty])
    }
}
